"""Whole-graph passes of the linker: merging pages' definitions, majority readings, subclasses, query params."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from generator import graph, ir
from generator.diagnostics import Span

__all__ = ["ModuleBuilder", "inherit", "merge", "settle_readings", "split_query"]


@dataclass
class ModuleBuilder:
    path: tuple[str, ...]
    root: str
    """Name of the module's root definition (set when the root is defined)."""
    side: ir.Side
    source: str
    defs: dict[str, ir.Definition] = field(default_factory=dict)


Modules = Mapping[tuple[str, ...], ModuleBuilder]


def _is_root(modules: Modules, ref: ir.Ref) -> bool:
    mod = modules.get(ref.module)
    return mod is not None and mod.root == ref.name


def _lookup(modules: Modules, ref: ir.Ref) -> ir.Definition | None:
    mod = modules.get(ref.module)
    return mod.defs.get(ref.name) if mod else None


def merge(
    modules: Modules, kept: ir.Definition, other: ir.Definition, optional_stated: bool, sdk_names: bool
) -> tuple[ir.Definition, list[str]] | None:
    """``graph.refine`` of two pages' definitions of a type, following references that differ.

    Two references at the same place that name types of the same shape are one type named twice.
    A type the docs name keeps that name; of two nested types, the one of a page whose titles are
    the SDK's path-qualified names (``sdk_names``: Python) gives the name. The type under that name
    takes what both pages say; it is stored only when the whole merge succeeds.
    """
    pending: dict[ir.Ref, ir.Definition] = {}
    busy: set[tuple[ir.Ref, ir.Ref]] = set()

    def refs(a: ir.Ref, b: ir.Ref) -> ir.Ref | None:
        # A type the docs name (a module's root) or one shared from another root's namespace keeps
        # its name; of two types nested in one namespace, the SDK-named page's wins.
        if _is_root(modules, a) or _is_root(modules, b):
            keep = a if _is_root(modules, a) else b
        else:
            keep = b if sdk_names and a.module == b.module else a
        if (a, b) in busy:
            return keep
        da, db = _lookup(modules, a), _lookup(modules, b)
        if da is None or db is None or type(da) is not type(db):
            return None
        busy.add((a, b))
        result = graph.refine(da, db, optional_stated, refs)
        if result is None:
            return None
        pending[keep] = replace(result[0], name=keep.name, span=(db if keep == b else da).span)
        return keep

    result = graph.refine(kept, other, optional_stated, refs)
    if result is None:
        return None
    for ref, d in pending.items():
        modules[ref.module].defs[ref.name] = d
    return result


def settle_readings(
    modules: Modules, readings: Mapping[tuple[tuple[str, ...], str], list[ir.Definition]]
) -> list[tuple[Span, str]]:
    """Keep the reading most of a collapsed page's expansions of a type agree on; the W202 findings."""
    found = []
    for (module, name), candidates in sorted(readings.items()):
        shapes = [graph.strip(c) for c in candidates]
        best = max(range(len(candidates)), key=lambda i: (shapes.count(shapes[i]), -i))
        chosen = candidates[best]
        modules[module].defs[name] = chosen
        others = sorted({c.span for c, sh in zip(candidates, shapes, strict=True) if sh != shapes[best]})
        found.append(
            (
                others[0],
                (
                    f"{name} is expanded with different fields in {len(others) + 1} "
                    f"places (the nesting of a collapsed page is inferred); kept the reading of "
                    f"{shapes.count(shapes[best])} of {len(candidates)}, as at {chosen.span}"
                ),
            )
        )
    return found


def inherit(modules: Modules) -> list[tuple[Span, str]]:
    """SDK pages list only a subclass's own fields (``ResponseFunctionToolCallItem``: ``id, status, …``).

    A root object whose name extends another object's name and whose description is the same is
    that type's subclass: it gets the base's fields ahead of its own (the W203 findings). Only plain
    fields are taken from a base on the other side (request/response), whose nested types are not
    this side's.
    """
    found: list[tuple[Span, str]] = []
    objects = sorted(
        ((m, d) for m in modules.values() for d in m.defs.values() if isinstance(d, ir.ObjectDef)),
        key=lambda md: (md[0].path, md[1].name),
    )
    for mod in sorted(modules.values(), key=lambda m: m.path):
        d = mod.defs.get(mod.root)
        if not isinstance(d, ir.ObjectDef) or not d.description:
            continue
        stem = d.name.removesuffix("Param")
        bases = [
            (bm, b)
            for bm, b in objects
            if b is not d
            and b.description == d.description
            and len(b.name.removesuffix("Param")) < len(stem)
            and stem.startswith(b.name.removesuffix("Param"))
        ]
        if not bases:
            continue
        bm, base = max(bases, key=lambda mb: (len(mb[1].name), mb[0].side is mod.side, mb[1].name))
        own = {f.wire_name for f in d.fields}
        same_side = bm.side is mod.side
        extra = tuple(f for f in base.fields if f.wire_name not in own and (same_side or not graph.refs_in(f.type)))
        if not extra:
            continue
        mod.defs[mod.root] = replace(d, fields=extra + d.fields)
        found.append(
            (
                d.span,
                (
                    f"{d.name} repeats the description of {base.name} and extends its "
                    f"name: read as its subclass, taking its fields {', '.join(f.wire_name for f in extra)}"
                ),
            )
        )
    return found


def split_query(endpoints: list[ir.Endpoint], mixed: set[int], modules: Modules) -> None:
    """Move to the query string the parameters a page listed with a write's body.

    SDK pages list a write's parameters in one section. One that the resource's reads take in
    their query string, with the same type (``include`` on ``items.create`` as on
    ``items.list``), travels in the query string of the write too.
    """
    read = {
        (e.resource, p.wire_name): p.type
        for e in endpoints
        if e.http_method in ("GET", "DELETE", "HEAD")
        for p in e.query_params
    }
    for i in sorted(mixed):
        e = endpoints[i]
        mod = modules.get(e.body.module) if e.body else None
        d = mod.defs.get(e.body.name) if mod and e.body else None
        if mod is None or not isinstance(d, ir.ObjectDef):
            continue
        moved = [f for f in d.fields if read.get((e.resource, f.wire_name)) == f.type]
        if not moved:
            continue
        query = [graph.param_of(f, f.required) for f in moved]
        rest = tuple(f for f in d.fields if f not in moved)
        if rest:
            mod.defs[d.name] = replace(d, fields=rest)
        else:
            del mod.defs[d.name]
        endpoints[i] = replace(e, query_params=e.query_params + tuple(query), body=e.body if rest else None)
