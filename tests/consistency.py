"""Compare the types each page defines on its own: what the HTTP page and a Python or Ruby page both name.

Each page is linked alone (``link`` over that one page), so a type's shape comes from one source;
nested types are compared by shape, not by the name each page gives them. ``python -m
tests.consistency`` prints every disagreement with its kind.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from generator import ir
from generator.config import load_config
from generator.link import link
from generator.pipeline import _dialects, read_pages

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Graph:
    source: str
    flavour: str
    defs: dict[ir.Ref, ir.Definition]
    by_name: dict[str, ir.Ref]
    """Definition names that occur once in the graph."""


@dataclass(frozen=True)
class Disagreement:
    type: str
    path: str
    """Where inside the type: ``field.subfield``, ``|member``."""
    kind: str
    detail: str
    other: str
    """The page the type is compared with."""


@dataclass
class Comparison:
    shared: dict[str, list[str]] = field(default_factory=dict)
    """Type name → the pages besides the HTTP page that define it."""
    disagreements: list[Disagreement] = field(default_factory=list)

    @property
    def identical(self) -> int:
        differing = {(d.type, d.other) for d in self.disagreements}
        return sum(1 for name, others in self.shared.items() for o in others if (name, o) not in differing)

    @property
    def pairs(self) -> int:
        return sum(len(others) for others in self.shared.values())


def graphs(manifest: Path = ROOT / "specs" / "specs.toml") -> list[Graph]:
    config, found = load_config(manifest, ROOT)
    assert config is not None, found
    pages, texts, _ = read_pages(config)
    dialects = _dialects()
    out = []
    for page in pages:
        api, _ = link(config.package, [page], dialects, {page.file: texts[page.file]})
        defs = {ir.Ref(m.path, d.name): d for m in api.modules for d in m.definitions}
        names = Counter(ref.name for ref in defs)
        by_name = {ref.name: ref for ref in defs if names[ref.name] == 1}
        out.append(Graph(page.file, page.flavour, defs, by_name))
    return out


def _describe(t: ir.TypeNode, g: Graph) -> str:
    match t:
        case ir.PrimitiveType(kind):
            return kind.value
        case ir.LiteralType(values):
            return "literal " + "|".join(map(str, values))
        case ir.ArrayType(item):
            return f"array of {_describe(item, g)}"
        case ir.MapType(value):
            return f"map of {_describe(value, g)}"
        case ir.UnionType(members):
            return " | ".join(_describe(m, g) for m in members)
        case ir.Ref():
            d = g.defs.get(t)
            kind = type(d).__name__.removesuffix("Def").lower() if d else "undefined"
            return f"{kind} {t.name}"
    return "?"


class _Comparer:
    def __init__(self, a: Graph, b: Graph, name: str) -> None:
        self.a, self.b, self.name = a, b, name
        self.seen: set[tuple[ir.Ref, ir.Ref]] = set()
        self.found: list[Disagreement] = []

    def say(self, path: str, kind: str, detail: str) -> None:
        self.found.append(Disagreement(self.name, path, kind, detail, self.b.source))

    def defn(self, ra: ir.Ref, rb: ir.Ref, path: str) -> None:
        if (ra, rb) in self.seen:
            return
        self.seen.add((ra, rb))
        da, db = self.a.defs.get(ra), self.b.defs.get(rb)
        if da is None or db is None:
            if (da is None) != (db is None):
                self.say(path, "undefined", f"{ra.name} defined only on {'one' if da else 'the other'} page")
            return
        match da, db:
            case ir.ObjectDef(), ir.ObjectDef():
                self.fields(da, db, path)
            case ir.UnionDef(), ir.UnionDef():
                self.members(da.members, db.members, path)
                ta = da.discriminator.wire_name if da.discriminator else None
                tb = db.discriminator.wire_name if db.discriminator else None
                if ta != tb:
                    self.say(path, "discriminator", f"{ta} vs {tb}")
            case ir.AliasDef(), ir.AliasDef():
                self.node(da.type, db.type, path)
            case ir.AliasDef(), _:
                self.node(da.type, rb, path)
            case _, ir.AliasDef():
                self.node(ra, db.type, path)
            case _:
                self.say(path, "kind", f"{type(da).__name__} vs {type(db).__name__}")

    def fields(self, da: ir.ObjectDef, db: ir.ObjectDef, path: str) -> None:
        fa = {f.wire_name: f for f in da.fields}
        fb = {f.wire_name: f for f in db.fields}
        for only, side in ((set(fa) - set(fb), "HTTP"), (set(fb) - set(fa), "other")):
            for name in sorted(only):
                self.say(f"{path}.{name}".lstrip("."), "field", f"only on the {side} page")
        for name in sorted(set(fa) & set(fb)):
            x, y = fa[name], fb[name]
            where = f"{path}.{name}".lstrip(".")
            if x.required != y.required:
                self.say(where, "required", f"{x.required} vs {y.required}")
            if x.nullable != y.nullable:
                self.say(where, "nullable", f"{x.nullable} vs {y.nullable}")
            self.node(x.type, y.type, where)

    def members(self, ma: tuple[ir.TypeNode, ...], mb: tuple[ir.TypeNode, ...], path: str) -> None:
        # Members pair up by shape class: the same literal value set, the same object tag, or alone.
        left, right = list(ma), list(mb)
        for x in list(left):
            y = next((y for y in right if self.key(x, self.a) == self.key(y, self.b)), None)
            if y is not None:
                left.remove(x)
                right.remove(y)
                self.node(x, y, f"{path}|{self.key(x, self.a)}")
        if left or right:
            detail = f"{[_describe(m, self.a) for m in left]} vs {[_describe(m, self.b) for m in right]}"
            self.say(path, "members", detail)

    def key(self, t: ir.TypeNode, g: Graph) -> str:
        """What identifies a union member across pages: its tag, else its kind."""
        if isinstance(t, ir.Ref):
            d = g.defs.get(t)
            if isinstance(d, ir.ObjectDef):
                tags = [f"{f.wire_name}={f.type.values[0]}" for f in d.fields if f.required and _single(f.type)]
                return tags[0] if tags else "object " + ",".join(sorted(f.wire_name for f in d.fields))
            if isinstance(d, ir.AliasDef):
                return self.key(d.type, g)
            return t.name
        match t:
            case ir.PrimitiveType(kind):
                return kind.value
            case ir.LiteralType():
                return "literal"
            case ir.ArrayType():
                return "array"
            case ir.MapType():
                return "map"
        return "union"

    def node(self, x: ir.TypeNode, y: ir.TypeNode, path: str) -> None:
        match x, y:
            case ir.Ref(), ir.Ref():
                self.defn(x, y, path)
            case ir.Ref(), _ if isinstance(self.a.defs.get(x), ir.AliasDef):
                self.node(self.a.defs[x].type, y, path)  # type: ignore[union-attr]
            case _, ir.Ref() if isinstance(self.b.defs.get(y), ir.AliasDef):
                self.node(x, self.b.defs[y].type, path)  # type: ignore[union-attr]
            case ir.ArrayType(ia), ir.ArrayType(ib):
                self.node(ia, ib, path + "[]")
            case ir.MapType(va), ir.MapType(vb):
                self.node(va, vb, path + "{}")
            case ir.LiteralType(va), ir.LiteralType(vb):
                if set(va) != set(vb):
                    self.say(path, "literals", f"{sorted(map(str, va))} vs {sorted(map(str, vb))}")
            case ir.UnionType(ma), ir.UnionType(mb):
                self.members(ma, mb, path)
            case ir.PrimitiveType(ka), ir.PrimitiveType(kb) if ka != kb:
                self.say(path, "scalar", f"{ka.value} vs {kb.value}")
            case ir.PrimitiveType(), ir.PrimitiveType():
                pass
            case _:
                self.say(path, "type", f"{_describe(x, self.a)} vs {_describe(y, self.b)}")


def _single(t: ir.TypeNode) -> bool:
    return isinstance(t, ir.LiteralType) and len(t.values) == 1


def compare(all_graphs: list[Graph]) -> Comparison:
    http = [g for g in all_graphs if g.flavour == "http"]
    others = [g for g in all_graphs if g.flavour != "http"]
    out = Comparison()
    for h in http:
        for o in others:
            for name in sorted(set(h.by_name) & set(o.by_name)):
                out.shared.setdefault(name, []).append(o.source)
                comparer = _Comparer(h, o, name)
                comparer.defn(h.by_name[name], o.by_name[name], "")
                out.disagreements.extend(comparer.found)
    return out


def lines(c: Comparison) -> Iterator[str]:
    kinds = Counter(d.kind for d in c.disagreements)
    types = {(d.type, d.other) for d in c.disagreements}
    yield (
        f"types shared by the HTTP page and another page: {len(c.shared)} ({c.pairs} pairs); "
        f"identical: {c.identical}; differing: {len(types)}"
    )
    yield "disagreements by kind: " + ", ".join(f"{k} {n}" for k, n in kinds.most_common())
    for d in c.disagreements:
        yield f"{d.type}{'.' if d.path and not d.path.startswith('|') else ''}{d.path}: {d.kind}: {d.detail} [{d.other}]"


def main() -> None:
    for line in lines(compare(graphs())):
        print(line)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
