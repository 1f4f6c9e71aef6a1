"""Operations on the type graph alone: references, reachability, discriminators, shape comparison."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from generator import ir

__all__ = [
    "any_for",
    "difference",
    "endpoint_types",
    "optional_by_order",
    "param_of",
    "reachable",
    "refine",
    "refs_in",
    "refs_of",
    "strip",
    "tags",
    "with_discriminator",
    "without_refs",
]


def strip(d: ir.Definition) -> object:
    """A definition without its prose and spans, to compare shapes."""
    match d:
        case ir.ObjectDef():
            return ("object", tuple((f.wire_name, f.type, f.required, f.nullable) for f in d.fields))
        case ir.UnionDef():
            return ("union", d.members)
        case ir.AliasDef():
            return ("alias", d.type)


def difference(kept: ir.Definition, other: ir.Definition) -> str:
    """A short account of how two definitions of one type differ."""
    if isinstance(kept, ir.ObjectDef) and isinstance(other, ir.ObjectDef):
        a = {f.wire_name: f for f in kept.fields}
        b = {f.wire_name: f for f in other.fields}
        parts = [f"only here: {', '.join(sorted(set(a) - set(b)))}"] if set(a) - set(b) else []
        if set(b) - set(a):
            parts.append(f"only there: {', '.join(sorted(set(b) - set(a)))}")
        for name in sorted(set(a) & set(b)):
            if a[name].required != b[name].required:
                parts.append(f"{name}: required {a[name].required} vs {b[name].required}")
            elif a[name].type != b[name].type:
                parts.append(f"{name}: type differs")
        return "; ".join(parts) or "nested type names differ"
    return f"{type(kept).__name__} vs {type(other).__name__}" if type(kept) is not type(other) else "members differ"


RefMerger = Callable[[ir.Ref, ir.Ref], "ir.Ref | None"]
"""Given two pages' references at the same place, the one to keep, or None if they differ in shape."""


def refine(
    kept: ir.Definition, other: ir.Definition, optional_stated: bool, refs: RefMerger | None = None
) -> tuple[ir.Definition, list[str]] | None:
    """``kept`` with what ``other`` (another page's definition of the type) says more precisely.

    Pages of different flavours say different amounts: the HTTP flavour has no ``null`` and one
    ``number``, the Python flavour ``Optional[...]`` and ``int``. Where the two definitions have the
    same fields (members) and referenced types, the result is read so that it admits what either page
    allows: ``int`` where one page says ``number`` and the other an integer, nullable where either
    page says so, optional where ``other`` states it (``optional_stated``: its flavour marks optional
    fields rather than implying them), and every literal value of either page. References that name
    different types are settled by ``refs`` (the same shape under two names). ``None`` when the
    definitions differ beyond that (a real conflict); otherwise the refined definition and what
    changed.
    """
    match kept, other:
        case ir.UnionDef(), ir.UnionDef() if len(kept.members) == len(other.members):
            members = [_refined_type(a, b, refs) for a, b in zip(kept.members, other.members, strict=True)]
            if any(m is None for m in members):
                return None
            chosen = tuple(dict.fromkeys(m for m in members if m is not None))
            return replace(kept, members=chosen), ["members: names from there"] if chosen != kept.members else []
        case ir.AliasDef(), ir.AliasDef():
            t = _refined_type(kept.type, other.type, refs)
            return None if t is None else (replace(kept, type=t), [f"type {_spelled(t)}"] if t != kept.type else [])
        case ir.ObjectDef(), ir.ObjectDef():
            pass
        case _:
            return None
    theirs = {f.wire_name: f for f in other.fields}
    if set(theirs) != {f.wire_name for f in kept.fields}:
        return None
    fields: list[ir.Field] = []
    changes: list[str] = []
    for f in kept.fields:
        o = theirs[f.wire_name]
        t = _refined_type(f.type, o.type, refs)
        if t is None:
            return None
        required = f.required and (o.required or not optional_stated)
        nullable = f.nullable or o.nullable
        said = [
            *([f"type {_spelled(t)}"] if t != f.type else []),
            *(["optional"] if required != f.required else []),
            *(["nullable"] if nullable != f.nullable else []),
        ]
        if said:
            changes.append(f"{f.wire_name}: {', '.join(said)}")
        fields.append(replace(f, type=t, required=required, nullable=nullable))
    return replace(kept, fields=tuple(fields)), changes


def _refined_type(a: ir.TypeNode, b: ir.TypeNode, refs: RefMerger | None) -> ir.TypeNode | None:
    match a, b:
        case _ if a == b:
            return a
        case ir.Ref(), ir.Ref():
            return refs(a, b) if refs is not None else None
        case ir.PrimitiveType(ir.Primitive.FLOAT), ir.PrimitiveType(ir.Primitive.INT):
            return b
        case ir.PrimitiveType(ir.Primitive.INT), ir.PrimitiveType(ir.Primitive.FLOAT):
            return a
        case ir.LiteralType(va), ir.LiteralType(vb):
            return ir.LiteralType(tuple(dict.fromkeys((*va, *vb))))
        case ir.ArrayType(ia), ir.ArrayType(ib):
            item = _refined_type(ia, ib, refs)
            return None if item is None else ir.ArrayType(item)
        case ir.MapType(va), ir.MapType(vb):
            value = _refined_type(va, vb, refs)
            return None if value is None else ir.MapType(value)
        case ir.UnionType(ma), ir.UnionType(mb) if len(ma) == len(mb):
            members = [_refined_type(x, y, refs) for x, y in zip(ma, mb, strict=True)]
            if any(m is None for m in members):
                return None
            return ir.UnionType(tuple(dict.fromkeys(m for m in members if m is not None)))
    return None


def _spelled(t: ir.TypeNode) -> str:
    match t:
        case ir.PrimitiveType(kind):
            return kind.value
        case ir.LiteralType(values):
            return " | ".join(map(repr, values))
        case ir.ArrayType(item):
            return f"list of {_spelled(item)}"
        case ir.MapType(value):
            return f"map of {_spelled(value)}"
        case ir.UnionType(members):
            return " | ".join(_spelled(m) for m in members)
        case ir.Ref(name=name):
            return name
    return "?"


def param_of(f: ir.Field, required: bool) -> ir.Param:
    """A field of a parameters section as a path or query parameter."""
    return ir.Param(f.wire_name, f.name, f.type, required, f.description, f.span)


def optional_by_order(fields: list[ir.Field]) -> list[ir.Field]:
    """Fields after the first alphabetical run (``id`` first) are the optional ones."""
    out: list[ir.Field] = []
    prev: tuple[int, str] | None = None
    required = True
    for f in fields:
        key = (0, "") if f.wire_name == "id" else (1, f.wire_name)
        if prev is not None and key <= prev:
            required = False
        prev = key
        out.append(f if f.required == required else replace(f, required=required))
    return out


def any_for(t: ir.TypeNode, missing: set[ir.Ref]) -> ir.TypeNode:
    match t:
        case ir.Ref() if t in missing:
            return ir.PrimitiveType(ir.Primitive.ANY)
        case ir.ArrayType(item):
            return ir.ArrayType(any_for(item, missing))
        case ir.MapType(value):
            return ir.MapType(any_for(value, missing))
        case ir.UnionType(members):
            kept = tuple(dict.fromkeys(any_for(m, missing) for m in members))
            # Two undefined members both read as any JSON: one is left.
            return ir.UnionType(kept) if len(kept) > 1 else kept[0]
        case _:
            return t


def without_refs(d: ir.Definition, missing: set[ir.Ref]) -> ir.Definition:
    """The definition with references to undefined types read as any JSON."""
    match d:
        case ir.ObjectDef():
            return replace(d, fields=tuple(replace(f, type=any_for(f.type, missing)) for f in d.fields))
        case ir.UnionDef():
            return replace(d, members=tuple(dict.fromkeys(any_for(m, missing) for m in d.members)))
        case ir.AliasDef():
            return replace(d, type=any_for(d.type, missing))


def endpoint_types(e: ir.Endpoint) -> list[ir.TypeNode]:
    out: list[ir.TypeNode] = [p.type for p in (*e.path_params, *e.query_params)]
    out += [t for t in (e.body, e.returns, e.stream_event) if t is not None]
    return out


def reachable(starts: Sequence[ir.TypeNode], defs: dict[ir.Ref, ir.Definition]) -> set[ir.Ref]:
    seen: set[ir.Ref] = set()
    todo = [r for t in starts for r in refs_in(t)]
    while todo:
        ref = todo.pop()
        if ref in seen or ref not in defs:
            continue
        seen.add(ref)
        todo.extend(refs_of(defs[ref]))
    return seen


def refs_in(t: ir.TypeNode) -> list[ir.Ref]:
    match t:
        case ir.Ref():
            return [t]
        case ir.ArrayType(item):
            return refs_in(item)
        case ir.MapType(value):
            return refs_in(value)
        case ir.UnionType(members):
            return [r for m in members for r in refs_in(m)]
        case _:
            return []


def refs_of(d: ir.Definition) -> list[ir.Ref]:
    match d:
        case ir.ObjectDef():
            return [r for f in d.fields for r in refs_in(f.type)]
        case ir.UnionDef():
            return [r for m in d.members for r in refs_in(m)]
        case ir.AliasDef():
            return refs_in(d.type)


def tags(member: ir.TypeNode, defs: dict[ir.Ref, ir.Definition], wire: str) -> list[str | int | bool] | None:
    """The discriminator values a member accepts, or None when it cannot be told by ``wire``."""
    if not isinstance(member, ir.Ref):
        return []  # not an object: told apart by JSON kind, not by tag
    d = defs.get(member)
    match d:
        case ir.ObjectDef():
            for f in d.fields:
                if f.wire_name == wire and isinstance(f.type, ir.LiteralType) and f.required:
                    return list(f.type.values)
            return None
        case ir.UnionDef(discriminator=disc) if disc is not None and disc.wire_name == wire:
            return [tag for tag, _ in disc.tags]
        case ir.AliasDef(type=ir.Ref() as inner):
            return tags(inner, defs, wire)
        case _:
            return None


def with_discriminator(d: ir.UnionDef, defs: dict[ir.Ref, ir.Definition]) -> ir.UnionDef:
    objects = [m for m in d.members if isinstance(m, ir.Ref)]
    if len(objects) < 2:
        return d
    first = defs.get(objects[0])
    candidates = [f.wire_name for f in first.fields] if isinstance(first, ir.ObjectDef) else ["type"]
    # `type` is the API's usual discriminator; try it first.
    for wire in sorted(candidates, key=lambda w: w != "type"):
        found: list[tuple[str | int | bool, ir.Ref]] = []
        ok = True
        for m in objects:
            values = tags(m, defs, wire)
            if not values:
                ok = False
                break
            found.extend((v, m) for v in values)
        if ok and len({t for t, _ in found}) == len(found):
            return ir.UnionDef(d.name, d.members, ir.Discriminator(wire, tuple(found)), d.description, d.span)
    return d


def cycles_without_object(defs: dict[ir.Ref, ir.Definition]) -> list[ir.Ref]:
    """Aliases and unions that reach themselves through aliases and unions only (``Value = string or
    Value``, ``Tags = array of Tags``): Python cannot evaluate such an alias, and a decoder of it would
    call itself forever. Recursion through an object (``children: array of Node``) is fine and not listed."""
    out: list[ir.Ref] = []
    for start, d in sorted(defs.items(), key=lambda kv: kv[0]):
        if isinstance(d, ir.ObjectDef):
            continue
        seen: set[ir.Ref] = set()
        todo = list(refs_of(d))
        while todo:
            ref = todo.pop()
            if ref == start:
                out.append(start)
                break
            target = defs.get(ref)
            if ref in seen or target is None or isinstance(target, ir.ObjectDef):
                continue
            seen.add(ref)
            todo.extend(refs_of(target))
    return out
