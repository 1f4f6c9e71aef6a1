"""What the markdown pages tell about types, as the scraped-page recovery looks things up."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from generator import ir
from generator.read.text import nows

__all__ = ["Known", "Shape", "norm_markdown"]

_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def norm_markdown(text: str) -> str:
    """A markdown description as the scraper prints it, without whitespace: links as their text, no marks."""
    text = _LINK.sub(r"\1", text)
    return nows(text.replace("`", "").replace("**", "").replace("\\", ""))


@dataclass
class Shape:
    """An object's fields or a union's members, as far as some source knows them."""

    name: str
    description: str
    """Without whitespace, for comparison."""
    fields: dict[str, tuple[str, ir.TypeNode | None]] = field(default_factory=dict)
    """Wire name → (description without whitespace, type when known)."""
    members: list[Shape] | None = None
    """A union's object members; None for an object."""
    ref: ir.Ref | None = None
    """The definition this shape is read from, when a markdown page defines it."""
    required: set[str] = field(default_factory=set)
    """Fields the other pages say are always present."""
    children: dict[str, Shape] = field(default_factory=dict)
    """Shapes of fields' types this page itself built (for objects the page repeats)."""


class Known:
    """Types from the pages read before: look-ups by description, by name and by reference."""

    def __init__(self, api: ir.Api | None, inferred: frozenset[str] = frozenset()) -> None:
        self.defs: dict[ir.Ref, ir.Definition] = {}
        self.roots: dict[str, ir.Ref] = {}
        """Response-side root types by name: what a scraped page's field may refer to."""
        self.any_side: dict[str, ir.Ref] = {}
        """Root types of either side by name (``Param`` dropped): what a class line may match."""
        self.by_name: dict[str, list[ir.Ref]] = {}
        """Every object or union type by name (``Param`` dropped), nested ones included."""
        self.by_description: dict[str, set[tuple[str, ir.TypeNode]]] = {}
        self.shapes: dict[ir.Ref, Shape] = {}
        self.owners: dict[str, set[tuple[str, bool, str]]] = {}
        """Description → (the type whose field it describes, ``Param`` dropped; read from an intact page;
        the type's own description without whitespace)."""
        if api is None:
            return
        # Types read from intact pages first: a collapsed page's nesting is inferred, and may be wrong.
        for module in sorted(api.modules, key=lambda m: (m.source in inferred, m.path)):
            for d in module.definitions:
                ref = ir.Ref(module.path, d.name)
                self.defs[ref] = d
                if d.name == module.root and module.side is ir.Side.RESPONSE:
                    self.roots.setdefault(d.name, ref)
                if d.name == module.root:
                    self.any_side.setdefault(d.name.removesuffix("Param"), ref)
                if not isinstance(d, ir.AliasDef):
                    self.by_name.setdefault(d.name.removesuffix("Param"), []).append(ref)
                if isinstance(d, ir.ObjectDef):
                    for f in d.fields:
                        key = norm_markdown(f.description)
                        if key:
                            self.by_description.setdefault(key, set()).add((f.wire_name, f.type))
                            sure = module.source not in inferred
                            owner = (d.name.removesuffix("Param"), sure, norm_markdown(d.description))
                            self.owners.setdefault(key, set()).add(owner)

    def unique_name(self, description: str) -> tuple[str, ir.TypeNode] | None:
        """The one field name (and its type) the other pages give this description, if exactly one."""
        found = self.by_description.get(nows(description))
        if not found:
            return None
        names = {w for w, _ in found}
        if len(names) != 1:
            return None
        types = {t for _, t in found}
        name = names.pop()
        return name, (types.pop() if len(types) == 1 else ir.PrimitiveType(ir.Primitive.ANY))

    def named(self, name: str) -> Shape | None:
        """The shape of the type the pages name ``name`` (a root first, else the one nested type of that
        name, or several that list the same fields)."""
        if name in self.any_side:
            return self.shape_of(self.any_side[name])
        shapes = [s for s in (self.shape_of(r) for r in self.by_name.get(name, ())) if s is not None]
        kinds = {(s.members is None, frozenset(s.fields)) for s in shapes}
        return shapes[0] if len(kinds) == 1 else None

    def elsewhere(self, description: str, owner: str, owner_descriptions: tuple[str, ...] = ()) -> bool:
        """An intact page gives this description to a field of other types only, never of ``owner``
        (a type described by one of ``owner_descriptions``)."""
        found = self.owners.get(description, set())
        intact = {(name, text) for name, sure, text in found if sure}
        owner = owner.removesuffix("Param")
        # Intact pages name nested types by their titles (`FileCitation`) or their paths
        # (`OutputComputerCallPendingSafetyCheck`), Python pages by their path (`AnnotationFileCitation`),
        # Java pages by the SDK's class (`ResponseFileSearchToolCall`): a name that ends the other, or the
        # type's description, tells it is the same type.
        return bool(intact) and not any(
            owner.endswith(n) or n.endswith(owner) or (text and text in owner_descriptions) for n, text in intact
        )

    def shape(self, t: ir.TypeNode | None) -> Shape | None:
        """The object or union shape a field's type leads to (through arrays, maps and aliases)."""
        match t:
            case ir.ArrayType(item):
                return self.shape(item)
            case ir.MapType(value):
                return self.shape(value)
            case ir.UnionType(members):
                shapes = [s for s in (self.shape(m) for m in members) if s is not None]
                if len(shapes) == 1:
                    return shapes[0]
                return Shape("", "", members=shapes) if shapes else None
            case ir.Ref():
                return self.shape_of(t)
            case _:
                return None

    def shape_of(self, ref: ir.Ref) -> Shape | None:
        if ref in self.shapes:
            return self.shapes[ref]
        d = self.defs.get(ref)
        if d is None:
            return None
        if isinstance(d, ir.AliasDef):
            return self.shape(d.type)
        out = Shape(d.name, norm_markdown(d.description), ref=ref)
        self.shapes[ref] = out
        if isinstance(d, ir.ObjectDef):
            out.fields = {f.wire_name: (norm_markdown(f.description), f.type) for f in d.fields}
            out.required = {f.wire_name for f in d.fields if f.required}
        else:
            members: list[Shape] = []
            for m in d.members:
                s = self.shape(m)
                if s is not None and s.members is None:
                    members.append(s)
                elif s is not None and s.members:
                    members.extend(s.members)
            out.members = members
        return out
