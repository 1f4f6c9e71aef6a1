"""Measure how closely the generated openai_api types match the official openai SDK's types (`python -m tests.fidelity`)."""

from __future__ import annotations

import dataclasses
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


@dataclass(frozen=True)
class Field:
    required: bool
    annotation: Any


@dataclass
class Shape:
    """What an annotation admits once Required/Annotated/Optional/containers/aliases are unwrapped."""

    nullable: bool = False
    literals: set[object] = field(default_factory=set)
    leaves: list[Any] = field(default_factory=list)  # classes and scalar types, never None or literals
    discriminator: str | None = None


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
    required_agree: int = 0
    required_total: int = 0
    nullable_agree: int = 0
    nullable_total: int = 0
    literal_agree: int = 0
    literal_total: int = 0
    union_agree: int = 0
    union_total: int = 0
    discriminator_agree: int = 0
    discriminator_total: int = 0
    scalar_agree: int = 0
    scalar_total: int = 0
    mismatches: list[str] = field(default_factory=list)  # "Type.field: kind: detail"
    kinds: Counter[str] = field(default_factory=Counter)

    def pct(self, agree: int, total: int) -> float:
        return 100.0 * agree / total if total else 100.0

    @property
    def field_name_pct(self) -> float:
        return self.pct(self.fields_matching_name, self.fields_ours)

    @property
    def required_pct(self) -> float:
        return self.pct(self.required_agree, self.required_total)

    @property
    def nullable_pct(self) -> float:
        return self.pct(self.nullable_agree, self.nullable_total)

    @property
    def literal_pct(self) -> float:
        return self.pct(self.literal_agree, self.literal_total)

    @property
    def union_pct(self) -> float:
        return self.pct(self.union_agree, self.union_total)


def is_object(tp: object) -> bool:
    """A dataclass, TypedDict or pydantic model class (not a scalar, alias or UnknownVariant)."""
    if not isinstance(tp, type) or tp.__name__ == "UnknownVariant":
        return False
    return dataclasses.is_dataclass(tp) or hasattr(tp, "__required_keys__") or hasattr(tp, "model_fields")


def is_typeddict(tp: object) -> bool:
    return isinstance(tp, type) and hasattr(tp, "__required_keys__")


def fields_of(cls: type) -> dict[str, Field]:
    """JSON key -> Field. TypedDict requiredness is read from Required[...] because 3.11 loses it under PEP 563."""
    if hasattr(cls, "model_fields"):
        out: dict[str, Field] = {}
        for name, info in cls.model_fields.items():
            ann = Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
            out[info.alias or name] = Field(info.is_required(), ann)
        return out
    hints = get_type_hints(cls, vars(sys.modules[cls.__module__]), include_extras=True)
    if is_typeddict(cls):
        total = bool(getattr(cls, "__total__", True))
        return {k: Field(get_origin(h) is Required or (total and get_origin(h) is not NotRequired), h) for k, h in hints.items()}
    return {
        f.name: Field(f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING, hints[f.name])
        for f in dataclasses.fields(cls)
        if f.name not in BOOKKEEPING
    }


OUR_DISCRIMINATORS: dict[object, str] = {}  # our discriminated union aliases -> tag field, read from their _TAGS_ tables


def shape(tp: Any, out: Shape | None = None, top: bool = True) -> Shape:
    out = out if out is not None else Shape()
    origin, args = get_origin(tp), get_args(tp)
    if origin is Annotated:
        for meta in tp.__metadata__:
            if isinstance(getattr(meta, "discriminator", None), str):
                out.discriminator = meta.discriminator
        return shape(args[0], out, top)
    if origin in (Required, NotRequired):
        return shape(args[0], out, top)
    if origin is Union or isinstance(tp, types.UnionType):
        try:
            out.discriminator = OUR_DISCRIMINATORS.get(tp, out.discriminator)
        except TypeError:  # unhashable member
            pass
        for arg in args:
            if arg is type(None):
                out.nullable = out.nullable or top
            else:
                shape(arg, out, top)
        return out
    if origin is Literal:
        out.literals.update(args)
    elif origin is not None:  # list/Iterable/dict/...: what matters is the items (a dict's values)
        for arg in args[-1:] if origin in (dict, Mapping) else args:
            shape(arg, out, False)
    elif tp is not type(None) and getattr(tp, "__name__", "") != "UnknownVariant":
        out.leaves.append(tp)
    return out


def single_literal(ann: Any) -> object | None:
    s = shape(ann)
    return next(iter(s.literals)) if len(s.literals) == 1 and not s.leaves else None


def camel(stem: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in stem.split("_"))


def our_modules() -> Iterator[types.ModuleType]:
    sys.dont_write_bytecode = True  # generated/ belongs to the generator: leave no __pycache__ in it
    if str(GENERATED) not in sys.path:
        sys.path.insert(0, str(GENERATED))
    root = importlib.import_module("openai_api.types")
    for info in pkgutil.walk_packages(root.__path__, root.__name__ + "."):
        if not info.ispkg:
            yield importlib.import_module(info.name)


def sdk_candidates(module: types.ModuleType) -> list[tuple[types.ModuleType, bool]]:
    """SDK modules to look our module's names up in; the flag says to also try names without a Param suffix."""
    import openai.types

    sdk_root = Path(openai.types.__path__[0])
    package, stem = module.__name__.removeprefix("openai_api.types.").rpartition(".")[::2]
    request = stem.endswith(("_param", "_params"))
    found: list[tuple[Path, bool]] = [(p, False) for p in sorted(sdk_root.rglob(stem + ".py"))]
    if stem.endswith("_param"):  # shared request types live in shared_params/ and drop the suffix
        found += [(p, True) for p in sorted(sdk_root.rglob(stem.removesuffix("_param") + ".py"))]
    preferred = sdk_root / package.replace(".", "/") / (stem + ".py")
    found.sort(key=lambda pair: pair[0] != preferred)
    out = []
    for path, strip in found:
        parts = path.relative_to(sdk_root).with_suffix("").parts
        if any(p.endswith("_params") for p in parts[:-1]) != (request and strip):
            continue  # pydantic models for responses, TypedDicts for requests
        out.append((importlib.import_module("openai.types." + ".".join(parts)), strip))
    return out


def sdk_lookup(module: types.ModuleType, strip: bool, name: str) -> Any:
    found = getattr(module, name, None)
    if found is None and strip and name.endswith("Param"):
        found = getattr(module, name.removesuffix("Param"), None)
    return found


def overlap(ours: Any, theirs: Any) -> int:
    if not (is_object(ours) and is_object(theirs)):
        return 0
    return len(set(fields_of(ours)) & set(fields_of(theirs)))


class Matcher:
    def __init__(self) -> None:
        self.pairs: dict[Any, tuple[Any, str]] = {}  # our type -> (SDK type, how it was matched)
        self.report = Report()
        self.names: list[tuple[str, Any]] = []  # (qualified name, our type), in module order

    def discover(self) -> None:
        for module in our_modules():
            exported = [(n, getattr(module, n)) for n in getattr(module, "__all__", [])]
            for name, obj in exported:
                tags = getattr(module, "_TAGS_" + name, None)
                if isinstance(tags, dict):
                    OUR_DISCRIMINATORS[obj] = self.tag_field(obj, set(tags))
            self.names += [(f"{module.__name__.rpartition('.')[2]}.{n}", o) for n, o in exported]
            candidates = sdk_candidates(module)
            main = getattr(module, camel(module.__name__.rpartition(".")[2]), None)
            if main is not None and len(candidates) > 1:  # e.g. message.py: conversations/ or beta/threads/?
                best = max(candidates, key=lambda c: overlap(main, sdk_lookup(c[0], c[1], main.__name__)))
                candidates = [best]
            for name, obj in exported:
                for sdk_module, strip in candidates:
                    theirs = sdk_lookup(sdk_module, strip, name)
                    if theirs is not None:
                        self.pairs[obj] = (theirs, "name")
                        break
        work = list(self.pairs)
        while work:  # follow fields and union members of matched pairs to pair types defined elsewhere
            ours = work.pop()
            for a, b in self.child_pairs(ours, self.pairs[ours][0]):
                if a not in self.pairs and is_object(a) and is_object(b) and is_typeddict(a) == is_typeddict(b):
                    self.pairs[a] = (b, "structure")
                    work.append(a)

    def tag_field(self, union: Any, tags: set[object]) -> str:
        members = [m for m in shape(union).leaves if is_object(m)]
        common = set.intersection(*(set(fields_of(m)) for m in members)) if members else set()
        for name in sorted(common):
            if {single_literal(fields_of(m)[name].annotation) for m in members} <= tags:
                return name
        return "?"

    def children(self, tp: Any) -> list[tuple[str, Shape]]:
        if is_object(tp):
            return [(k, shape(f.annotation)) for k, f in fields_of(tp).items()]
        return [("", shape(tp))] if get_origin(tp) is not None else []

    def child_pairs(self, ours: Any, theirs: Any) -> Iterator[tuple[Any, Any]]:
        mine, other = dict(self.children(ours)), dict(self.children(theirs))
        for key in mine.keys() & other.keys():
            yield from self.pair_leaves(mine[key], other[key])

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

        def tag(t: Any) -> object | None:
            f = fields_of(t).get(key)
            return single_literal(f.annotation) if f else None

        for x in list(a):
            t = tag(x)
            hits = [y for y in b if t is not None and tag(y) == t]
            if len(hits) == 1 and [tag(z) for z in a].count(t) == 1:
                yield x, hits[0]
                a.remove(x)
                b.remove(hits[0])
        if len(a) == 1 and len(b) == 1:
            yield a[0], b[0]

    def name(self, tp: Any) -> str:
        if tp in self.pairs:
            return str(self.pairs[tp][0].__name__)
        return str(getattr(tp, "__name__", repr(tp)))

    def miss(self, where: str, kind: str, detail: str) -> None:
        self.report.mismatches.append(f"{where}: {kind}: {detail}")
        self.report.kinds[kind] += 1

    def compare(self) -> Report:
        r = self.report
        r.types_generated = len(self.names)
        for qualified, ours in self.names:
            if ours not in self.pairs:
                r.unmatched.append(qualified)
        r.types_matched = len(self.pairs)
        r.matched_by_name = sum(1 for _, how in self.pairs.values() if how == "name")
        r.matched_by_structure = r.types_matched - r.matched_by_name
        for ours, (theirs, how) in self.pairs.items():
            where = ours.__name__ if how == "name" else f"{ours.__name__}(~{theirs.__name__})"
            if is_object(ours) != is_object(theirs):
                self.miss(where, "kind differs", f"ours {'object' if is_object(ours) else 'alias'}, SDK not")
            elif is_object(ours):
                self.compare_objects(where, ours, theirs)
            else:
                self.compare_shapes(where, shape(ours), shape(theirs), is_alias=True)
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
            self.miss(f"{where}.{name}", "field extra in ours", "not in the SDK")
        for name in sdk_only:
            self.miss(f"{where}.{name}", "SDK-only field", "missing in ours (SDK newer?)")
        for name in sorted(mine.keys() & other.keys()):
            a, b, at = mine[name], other[name], f"{where}.{name}"
            r.required_total += 1
            r.required_agree += a.required == b.required
            if a.required != b.required:
                self.miss(at, f"required: ours {'required' if a.required else 'optional'}, SDK not", "")
            sa, sb = shape(a.annotation), shape(b.annotation)
            # A dataclass says "optional" with `T | None = None`, so None means nullable only on required
            # fields; in a TypedDict None in the annotation always means "may be sent as null".
            if is_typeddict(ours) or (a.required and b.required):
                r.nullable_total += 1
                r.nullable_agree += sa.nullable == sb.nullable
                if sa.nullable != sb.nullable:
                    self.miss(at, f"nullable: {'ours' if sa.nullable else 'SDK'} only", "")
            self.compare_shapes(at, sa, sb, is_alias=False)

    def compare_shapes(self, at: str, a: Shape, b: Shape, is_alias: bool) -> None:
        r = self.report
        if a.literals or b.literals:
            r.literal_total += 1
            r.literal_agree += a.literals == b.literals
            if a.literals != b.literals:
                lost, gained = sorted(map(str, b.literals - a.literals)), sorted(map(str, a.literals - b.literals))
                kind = "literals: " + ("differ" if lost and gained else "SDK has more" if lost else "ours has more")
                self.miss(at, kind, f"SDK-only {lost[:6]} ours-only {gained[:6]}")
        names_a = {self.name(x) for x in a.leaves}
        names_b = {str(getattr(x, "__name__", x)) for x in b.leaves}
        if len(names_a) > 1 or len(names_b) > 1 or (is_alias and (names_a or names_b)):
            r.union_total += 1
            r.union_agree += names_a == names_b
            if names_a != names_b:
                self.miss(at, "union members differ", f"SDK-only {sorted(names_b - names_a)} ours-only {sorted(names_a - names_b)}")
        elif names_a or names_b:
            r.scalar_total += 1
            r.scalar_agree += names_a == names_b
            if names_a != names_b:
                self.miss(at, f"type: ours {'/'.join(sorted(names_a)) or '-'}, SDK {'/'.join(sorted(names_b)) or '-'}", "")
        if a.discriminator or b.discriminator:
            r.discriminator_total += 1
            r.discriminator_agree += a.discriminator == b.discriminator
            if a.discriminator != b.discriminator:
                self.miss(at, "discriminator differs", f"ours {a.discriminator}, SDK {b.discriminator}")


def measure() -> Report:
    matcher = Matcher()
    matcher.discover()
    return matcher.compare()


def main() -> None:
    r = measure()
    by_type: dict[str, list[str]] = {}
    for m in r.mismatches:
        head, _, rest = m.partition(": ")
        typ, _, fld = head.partition(".")
        by_type.setdefault(typ, []).append(f"{fld or '<alias>'}: {rest.rstrip(': ')}")
    for typ in sorted(by_type):
        print(f"{typ}: " + "; ".join(by_type[typ]))
    print(f"\nunmatched (ours only): {', '.join(r.unmatched) or '-'}")
    print("\nmost common mismatch kinds:")
    for kind, n in r.kinds.most_common(15):
        example = next(m for m in r.mismatches if f": {kind}:" in m)
        print(f"  {n:4}  {kind}    e.g. {example.partition(': ')[0]}")
    rows = [
        ("types generated", f"{r.types_generated}"),
        ("types matched in SDK", f"{r.types_matched} ({r.matched_by_name} by name, {r.matched_by_structure} via fields)"),
        ("unmatched (ours only)", f"{len(r.unmatched)}"),
        ("fields compared (ours)", f"{r.fields_ours}"),
        ("fields matching name", f"{r.fields_matching_name} ({r.field_name_pct:.1f}%)"),
        ("fields extra in ours", f"{r.fields_extra_in_ours}"),
        ("SDK-only fields", f"{r.fields_sdk_only}"),
        ("required agreement", f"{r.required_pct:.1f}% of {r.required_total}"),
        ("nullable agreement", f"{r.nullable_pct:.1f}% of {r.nullable_total}"),
        ("literal-set agreement", f"{r.literal_pct:.1f}% of {r.literal_total}"),
        ("union-member agreement", f"{r.union_pct:.1f}% of {r.union_total}"),
        ("discriminator agreement", f"{r.pct(r.discriminator_agree, r.discriminator_total):.1f}% of {r.discriminator_total}"),
        ("scalar-type agreement", f"{r.pct(r.scalar_agree, r.scalar_total):.1f}% of {r.scalar_total}"),
    ]
    print("\ntotals:")
    for label, value in rows:
        print(f"  {label:26} {value}")


if __name__ == "__main__":
    main()
