"""Measure how closely the generated openai_api types match the official openai SDK's types."""

from __future__ import annotations

import dataclasses
import functools
import importlib
import pkgutil
import sys
import types
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal, NotRequired, Required, Union, get_args, get_origin, get_type_hints

ROOT = Path(__file__).resolve().parent.parent
GENERATED = ROOT / "generated"
BOOKKEEPING = frozenset({"unknown_fields", "_nulls"})
NONE = type(None)


@dataclass(frozen=True)
class Field:
    required: bool
    annotation: Any


@dataclass
class Shape:
    """What an annotation admits once Required/Annotated/Optional/containers/aliases are unwrapped."""

    nullable: bool = False
    literals: set[object] = field(default_factory=set)
    leaves: list[Any] = field(default_factory=list)  # classes and scalar types; never None, literals, UnknownVariant
    discriminator: str | None = None
    depth: int = 0  # deepest nesting of lists/dicts


@dataclass
class Report:
    types_generated: int = 0
    types_matched: int = 0
    matched_by_name: int = 0
    matched_by_structure: int = 0  # paired through a field or union member of an already matched type
    unmatched: list[str] = field(default_factory=list)
    fields_ours: int = 0
    fields_matching_name: int = 0
    fields_extra_in_ours: int = 0
    fields_sdk_only: int = 0
    agree: Counter[str] = field(default_factory=Counter)  # per aspect: comparisons that agree
    total: Counter[str] = field(default_factory=Counter)  # per aspect: comparisons made
    mismatches: list[str] = field(default_factory=list)  # "module.Type.field: kind: detail"
    kinds: Counter[str] = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)  # kind -> first mismatch of that kind

    def pct(self, aspect: str) -> float:
        return 100.0 * self.agree[aspect] / self.total[aspect] if self.total[aspect] else 100.0

    @property
    def field_name_pct(self) -> float:
        return 100.0 * self.fields_matching_name / self.fields_ours if self.fields_ours else 100.0


ASPECTS = {  # aspect -> label in the totals
    **{a: f"{a} agreement" for a in ("required", "nullable")},
    "optional-null": "  (optional params: None)",
    **{a: f"{b} agreement" for a, b in [("literals", "literal-set"), ("union", "union-member")]},
    **{a: f"{b} agreement" for a, b in [("discriminator", "discriminator"), ("scalar", "scalar-type")]},
    "depth": "list-nesting agreement",
}


def is_object(tp: object) -> bool:
    """A dataclass, TypedDict or pydantic model class (not a scalar, alias or UnknownVariant)."""
    if not isinstance(tp, type) or tp.__name__ == "UnknownVariant":
        return False
    return dataclasses.is_dataclass(tp) or hasattr(tp, "__required_keys__") or hasattr(tp, "model_fields")


def is_typeddict(tp: object) -> bool:
    return isinstance(tp, type) and hasattr(tp, "__required_keys__")


@functools.cache
def fields_of(cls: type) -> dict[str, Field]:
    """JSON key -> Field. TypedDict requiredness is read from Required[...]: 3.11 loses it under PEP 563."""
    if hasattr(cls, "model_fields"):
        out: dict[str, Field] = {}
        for name, info in cls.model_fields.items():
            ann = Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
            out[info.alias or name] = Field(info.is_required(), ann)
        return out
    hints = get_type_hints(cls, vars(sys.modules[cls.__module__]), include_extras=True)
    if is_typeddict(cls):
        total = bool(getattr(cls, "__total__", True))
        return {
            k: Field(get_origin(h) is Required or (total and get_origin(h) is not NotRequired), h)
            for k, h in hints.items()
        }
    return {
        f.name: Field(f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING, hints[f.name])
        for f in dataclasses.fields(cls)
        if f.name not in BOOKKEEPING
    }


OUR_DISCRIMINATORS: dict[object, str] = {}  # our discriminated unions (None removed) -> tag field


def without_none(args: tuple[Any, ...]) -> Any:
    rest = tuple(a for a in args if a is not NONE)
    return Union[rest] if rest else NONE  # noqa: UP007 - typing.Union equals the alias it came from


def shape(tp: Any, out: Shape | None = None, top: bool = True, depth: int = 0) -> Shape:
    out = out if out is not None else Shape()
    origin, args = get_origin(tp), get_args(tp)
    if origin is Annotated:
        for meta in tp.__metadata__:
            if isinstance(getattr(meta, "discriminator", None), str):
                out.discriminator = meta.discriminator
        return shape(args[0], out, top, depth)
    if origin in (Required, NotRequired):
        return shape(args[0], out, top, depth)
    if origin is Union or isinstance(tp, types.UnionType):
        try:
            out.discriminator = OUR_DISCRIMINATORS.get(without_none(args), out.discriminator)
        except TypeError:  # an unhashable member
            pass
        out.nullable = out.nullable or (top and NONE in args)
        for arg in args:
            if arg is not NONE:
                shape(arg, out, top, depth)
    elif origin is Literal:
        out.literals.update(args)
    elif origin is not None:  # list/Iterable/dict/...: what matters is the items (a dict's values)
        out.depth = max(out.depth, depth + 1)
        for arg in args[-1:] if origin in (dict, Mapping) else args:
            shape(arg, out, False, depth + 1)
    elif tp is not NONE and getattr(tp, "__name__", "") != "UnknownVariant":
        out.leaves.append(tp)
    return out


def unions_in(tp: Any, depth: int = 0) -> list[tuple[int, Any]]:
    """The unions (None removed) an annotation holds, each with how many lists/dicts deep it sits."""
    origin, args = get_origin(tp), get_args(tp)
    if origin in (Annotated, Required, NotRequired):
        return unions_in(args[0], depth)
    if origin is Union or isinstance(tp, types.UnionType):
        rest = [a for a in args if a is not NONE]
        return ([(depth, without_none(args))] if len(rest) > 1 else []) + [x for a in rest for x in unions_in(a, depth)]
    if origin is not None and origin is not Literal:
        return [x for a in args for x in unions_in(a, depth + 1)]
    return []


def literals_of(ann: Any) -> frozenset[object]:
    """The values of a tag-like field (only literals, e.g. `type: Literal["web_search", ...]`), else empty."""
    s = shape(ann)
    return frozenset(s.literals) if not s.leaves else frozenset()


def generated_from(module: types.ModuleType) -> str:
    """The first line of a generated module names the spec it was generated from."""
    with open(module.__file__ or "", encoding="utf-8") as f:
        return f.readline()


def our_modules() -> Iterator[types.ModuleType]:
    sys.dont_write_bytecode = True  # generated/ belongs to the generator: leave no __pycache__ in it
    if str(GENERATED) not in sys.path:
        sys.path.insert(0, str(GENERATED))
    root = importlib.import_module("openai_api.types")
    for info in pkgutil.walk_packages(root.__path__, root.__name__ + "."):
        if not info.ispkg:
            yield importlib.import_module(info.name)


def sdk_candidates(module: types.ModuleType) -> list[tuple[types.ModuleType, bool]]:
    """SDK modules with our module's file name, best first; the flag says to also try names without "Param"."""
    import openai.types

    sdk_root = Path(openai.types.__path__[0])
    package, _, stem = module.__name__.removeprefix("openai_api.types.").rpartition(".")
    request = stem.endswith(("_param", "_params"))
    found = [(p, False) for p in sorted(sdk_root.rglob(stem + ".py"))]
    if stem.endswith("_param"):  # shared request types live in shared_params/ without the suffix
        found += [(p, True) for p in sorted(sdk_root.rglob(stem.removesuffix("_param") + ".py"))]
    preferred = sdk_root / package.replace(".", "/") / (stem + ".py")
    found.sort(key=lambda pair: pair[0] != preferred)
    out = []
    for path, strip in found:
        parts = path.relative_to(sdk_root).with_suffix("").parts
        if any(p.endswith("_params") for p in parts[:-1]) != (request and strip):
            continue  # pydantic models answer response types, TypedDicts request types
        out.append((importlib.import_module("openai.types." + ".".join(parts)), strip))
    return out


def sdk_lookup(module: types.ModuleType, strip: bool, name: str) -> Any:
    found = getattr(module, name, None)
    if found is None and strip and name.endswith("Param"):
        found = getattr(module, name.removesuffix("Param"), None)
    return found


def closest(main: type, candidates: list[tuple[types.ModuleType, bool]]) -> tuple[types.ModuleType, bool]:
    def shared(candidate: tuple[types.ModuleType, bool]) -> int:
        theirs = sdk_lookup(*candidate, main.__name__)
        return len(fields_of(main).keys() & fields_of(theirs).keys()) if is_object(theirs) else -1

    return max(candidates, key=shared)


class Matcher:
    def __init__(self, source: str = "", skip: str = "") -> None:
        self.source = source  # only modules generated from this spec (all when empty)
        self.skip = skip  # and none generated from specs whose path contains this (none when empty)
        self.names: list[tuple[str, Any]] = []  # (module.Type, our type), in module order
        self.pairs: dict[str, tuple[Any, Any, str]] = {}  # module.Type -> (ours, SDK type, "name"/"structure")
        self.report = Report()

    def qualified(self, tp: Any) -> list[str]:
        """Our names for a class or alias (equal aliases, e.g. a union and a copy of it, share an object)."""
        return [q for q, o in self.names if o is tp or (not isinstance(tp, type) and o == tp)]

    def discover(self) -> None:
        for module in our_modules():
            if self.source and self.source not in generated_from(module):
                continue
            if self.skip and self.skip in generated_from(module):
                continue
            exported = [(n, getattr(module, n)) for n in getattr(module, "__all__", [])]
            short = module.__name__.rpartition(".")[2]
            self.names += [(f"{short}.{n}", o) for n, o in exported]
            for name, obj in exported:
                tags = getattr(module, "_TAGS_" + name, None)
                if isinstance(tags, dict):
                    OUR_DISCRIMINATORS[without_none(get_args(obj))] = self.tag_field(obj, set(tags))
            candidates = sdk_candidates(module)
            main = getattr(module, "".join(p.capitalize() for p in short.split("_")), None)
            if isinstance(main, type) and is_object(main) and len(candidates) > 1:
                candidates = [closest(main, candidates)]  # message.py: conversations/ or beta/threads/?
            for name, obj in exported:
                theirs = next((t for m, s in candidates if (t := sdk_lookup(m, s, name)) is not None), None)
                if theirs is not None:
                    self.pairs[f"{short}.{name}"] = (obj, theirs, "name")
        work = list(self.pairs.values())
        while work:  # follow fields and union members of matched pairs to types the SDK defines elsewhere
            ours, theirs, _ = work.pop()
            for a, b in self.child_pairs(ours, theirs):
                if is_object(a) != is_object(b) or is_typeddict(a) != is_typeddict(b):
                    continue
                for q in self.qualified(a):
                    if q not in self.pairs:
                        self.pairs[q] = (a, b, "structure")
                        work.append(self.pairs[q])

    def tag_field(self, union: Any, tags: set[object]) -> str:
        members = [m for m in shape(union).leaves if is_object(m)]
        common = set.intersection(*(set(fields_of(m)) for m in members)) if members else set()
        for name in sorted(common):
            found = [literals_of(fields_of(m)[name].annotation) for m in members]
            if all(found) and set().union(*found) <= tags:
                return name
        return "?"

    def child_pairs(self, ours: Any, theirs: Any) -> Iterator[tuple[Any, Any]]:
        if is_object(ours) and is_object(theirs):
            mine, other = fields_of(ours), fields_of(theirs)
            anns = [(mine[k].annotation, other[k].annotation) for k in mine.keys() & other.keys()]
        else:
            anns = [(ours, theirs)]
        for a, b in anns:
            theirs_unions = unions_in(b)
            for depth, union in unions_in(a):  # an alias of ours, paired with the union the SDK has in its place
                hits = [u for d, u in theirs_unions if d == depth]
                if len(hits) == 1 and self.qualified(union):
                    yield union, hits[0]
            yield from self.pair_leaves(shape(a), shape(b))

    def pair_leaves(self, ours: Shape, theirs: Shape) -> Iterator[tuple[Any, Any]]:
        """Pair object members: by (matched) name, then by a tag unique on both sides, then the last one left."""
        a = [x for x in ours.leaves if is_object(x)]
        b = [x for x in theirs.leaves if is_object(x)]
        for x in list(a):
            hit = [y for y in b if y.__name__ == self.name(x)]
            if hit:
                yield x, hit[0]
                a.remove(x)
                b.remove(hit[0])
        key = theirs.discriminator or ours.discriminator or "type"

        def tag(t: Any) -> frozenset[object]:
            f = fields_of(t).get(key)
            return literals_of(f.annotation) if f else frozenset()

        for x in list(a):
            hits = [y for y in b if tag(x) & tag(y)]
            if len(hits) == 1 and sum(1 for z in a if tag(z) & tag(hits[0])) == 1:
                yield x, hits[0]
                a.remove(x)
                b.remove(hits[0])
        if len(a) == 1 and len(b) == 1:
            yield a[0], b[0]

    def name(self, tp: Any) -> str:
        """The SDK's name for one of our types when it is matched, else its own name."""
        for q in self.qualified(tp) if isinstance(tp, type) else []:
            if q in self.pairs:
                return str(self.pairs[q][1].__name__)
        return str(getattr(tp, "__name__", tp))

    def miss(self, where: str, kind: str, detail: str = "") -> None:
        text = f"{where}: {kind}" + (f": {detail}" if detail else "")
        self.report.mismatches.append(text)
        self.report.kinds[kind] += 1
        self.report.examples.setdefault(kind, text)

    def count(self, aspect: str, ok: bool) -> bool:
        self.report.total[aspect] += 1
        self.report.agree[aspect] += ok
        return ok

    def compare(self) -> Report:
        r = self.report
        r.types_generated = len(self.names)
        r.unmatched = [q for q, _ in self.names if q not in self.pairs]
        r.types_matched = len(self.pairs)
        r.matched_by_name = sum(1 for *_, how in self.pairs.values() if how == "name")
        r.matched_by_structure = r.types_matched - r.matched_by_name
        for where, (ours, theirs, how) in self.pairs.items():
            where += "" if how == "name" else f"(~{getattr(theirs, '__name__', 'union')})"
            if is_object(ours) != is_object(theirs):
                self.miss(where, "kind differs", f"ours {'class' if is_object(ours) else 'alias'}, SDK not")
            elif is_object(ours):
                self.compare_objects(where, ours, theirs)
            elif how == "name":  # an alias found through a field is compared as part of that field
                self.compare_shapes(where, shape(ours), shape(theirs), alias=True)
        return r

    def compare_objects(self, where: str, ours: type, theirs: type) -> None:
        r = self.report
        mine, other = fields_of(ours), fields_of(theirs)
        extra, sdk_only = sorted(mine.keys() - other.keys()), sorted(other.keys() - mine.keys())
        r.fields_ours += len(mine)
        r.fields_matching_name += len(mine) - len(extra)
        r.fields_extra_in_ours += len(extra)
        r.fields_sdk_only += len(sdk_only)
        for name in extra:
            self.miss(f"{where}.{name}", "field extra in ours")
        for name in sdk_only:
            self.miss(f"{where}.{name}", "SDK-only field")
        for name in sorted(mine.keys() & other.keys()):
            a, b, at = mine[name], other[name], f"{where}.{name}"
            if not self.count("required", a.required == b.required):
                self.miss(at, f"required: {'ours' if a.required else 'SDK'} only")
            sa, sb = shape(a.annotation), shape(b.annotation)
            # `T | None = None` is how a dataclass says "optional": None means nullable on required fields only.
            # A TypedDict's None always means "may be sent as null"; optional keys are counted on their own.
            aspect = "nullable" if a.required and b.required else "optional-null" if is_typeddict(ours) else ""
            if aspect and not self.count(aspect, sa.nullable == sb.nullable):
                self.miss(at, f"{aspect}: {'ours' if sa.nullable else 'SDK'} only")
            self.compare_shapes(at, sa, sb, alias=False)

    def compare_shapes(self, at: str, a: Shape, b: Shape, alias: bool) -> None:
        if (a.literals or b.literals) and not self.count("literals", a.literals == b.literals):
            lost, gained = sorted(map(str, b.literals - a.literals)), sorted(map(str, a.literals - b.literals))
            kind = "differ" if lost and gained else "SDK has more" if lost else "ours has more"
            self.miss(at, f"literals: {kind}", f"SDK-only {lost[:5]} ours-only {gained[:5]}")
        names_a = {self.name(x) for x in a.leaves}
        names_b = {str(getattr(x, "__name__", x)) for x in b.leaves}
        if len(names_a) > 1 or len(names_b) > 1 or (alias and (names_a or names_b)):
            if not self.count("union", names_a == names_b):
                detail = f"SDK-only {sorted(names_b - names_a)} ours-only {sorted(names_a - names_b)}"
                self.miss(at, "union members differ", detail)
        elif (names_a or names_b) and not self.count("scalar", names_a == names_b):
            self.miss(at, f"type: ours {'/'.join(sorted(names_a)) or '-'}, SDK {'/'.join(sorted(names_b)) or '-'}")
        if (a.discriminator or b.discriminator) and not self.count("discriminator", a.discriminator == b.discriminator):
            self.miss(at, f"discriminator: ours {a.discriminator}, SDK {b.discriminator}")
        if not self.count("depth", a.depth == b.depth):
            self.miss(at, f"list nesting: ours {a.depth}, SDK {b.depth}")


def measure(source: str = "", skip: str = "") -> Report:
    """The report over all generated types, or over those generated from the spec file ``source``;
    ``skip`` leaves out the types generated from specs whose path contains it."""
    OUR_DISCRIMINATORS.clear()
    matcher = Matcher(source, skip)
    matcher.discover()
    return matcher.compare()


def main() -> None:
    r = measure(sys.argv[1] if len(sys.argv) > 1 else "")
    by_type: dict[str, list[str]] = {}
    for m in r.mismatches:
        head, _, rest = m.partition(": ")
        module, typ, *fld = head.split(".", 2)
        by_type.setdefault(f"{module}.{typ}", []).append(f"{(fld or ['<alias>'])[0]}: {rest}")
    for typ in sorted(by_type):
        print(f"{typ}: " + "; ".join(by_type[typ]))
    print(f"\nunmatched (ours only): {', '.join(r.unmatched) or '-'}")
    print("\nmost common kinds of mismatch:")
    for kind, n in r.kinds.most_common(15):
        print(f"  {n:4}  {kind:42} e.g. {r.examples[kind].partition(': ')[0]}")
    print("\ntotals:")
    rows = [
        ("types generated", f"{r.types_generated}"),
        ("types matched in SDK", f"{r.types_matched} ({r.matched_by_name} by name, {r.matched_by_structure} by place)"),
        ("unmatched (ours only)", f"{len(r.unmatched)}"),
        ("fields compared (ours)", f"{r.fields_ours}"),
        ("fields matching name", f"{r.fields_matching_name} ({r.field_name_pct:.1f}%)"),
        ("fields extra in ours", f"{r.fields_extra_in_ours}"),
        ("SDK-only fields", f"{r.fields_sdk_only}"),
    ]
    rows += [(label, f"{r.pct(aspect):.1f}% of {r.total[aspect]}") for aspect, label in ASPECTS.items()]
    for label, value in rows:
        print(f"  {label:28} {value}")


if __name__ == "__main__":
    main()
