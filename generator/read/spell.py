"""Types of recovered entries: read from a JSON example, spelled in the Python flavour, compared."""

from __future__ import annotations

import json
from typing import Any

from generator import ir
from generator.flavours.expr import ArrayExpr, Expr, LiteralExpr, MapExpr, NamedExpr, PrimitiveExpr, UnionExpr
from generator.read.known import Known

__all__ = [
    "compatible",
    "example_expr",
    "expr_of",
    "is_known_root",
    "is_list",
    "keep_shape",
    "literal_values",
    "name_in",
    "object_example",
    "required_run",
    "spell",
    "strip_null",
    "with_inner",
]

_PY_PRIM = {"string": "str", "integer": "int", "number": "float", "boolean": "bool", "unknown": "object"}


def compatible(expr: Expr | None, value: Any) -> bool:
    """Whether an example value can be of the page's type: a named (non-primitive) Java type is never a
    JSON boolean or number, and a list is a list."""
    if expr is None:
        return True
    inner = strip_null(expr)
    if isinstance(inner, ArrayExpr):
        return isinstance(value, list)
    if isinstance(inner, NamedExpr):
        return value is None or not isinstance(value, bool | int | float)
    return True


def strip_null(expr: Expr) -> Expr:
    if isinstance(expr, UnionExpr):
        rest = [m for m in expr.members if m != PrimitiveExpr("null")]
        if len(rest) == 1:
            return rest[0]
    return expr


def is_list(expr: Expr) -> bool:
    if isinstance(expr, UnionExpr):
        return any(is_list(m) for m in expr.members)
    return isinstance(expr, ArrayExpr)


def name_in(expr: Expr | None) -> str | None:
    match expr:
        case NamedExpr(name):
            return name
        case ArrayExpr(item) | MapExpr(item):
            return name_in(item)
        case UnionExpr(members):
            names = [n for n in (name_in(m) for m in members) if n]
            return names[0] if len(names) == 1 else None
        case _:
            return None


def is_known_root(expr: Expr, known: Known) -> bool:
    name = name_in(expr)
    return name is not None and name in known.roots


def with_inner(expr: Expr | None, inner: Expr) -> Expr:
    """``expr`` with its named (or unknown) innermost type replaced by ``inner``."""
    match expr:
        case ArrayExpr(item):
            return ArrayExpr(with_inner(item, inner))
        case MapExpr(value):
            return MapExpr(with_inner(value, inner))
        case UnionExpr(members, more, at):
            null = PrimitiveExpr("null")
            rest = [m for m in members if m != null]
            if len(rest) == 1:
                return UnionExpr((with_inner(rest[0], inner), null), more, at)
            return inner
        case _:
            return inner


def keep_shape(expr: Expr | None) -> Expr:
    """A type whose named parts the docs never define here: any JSON, keeping lists and nullability."""
    match expr:
        case ArrayExpr(item):
            return ArrayExpr(keep_shape(item))
        case MapExpr(value):
            return MapExpr(keep_shape(value))
        case UnionExpr(members, more, at):
            null = PrimitiveExpr("null")
            rest = [m for m in members if m != null]
            if len(rest) == 1 and null in members:
                return UnionExpr((keep_shape(rest[0]), null), more, at)
            return PrimitiveExpr("unknown")
        case PrimitiveExpr():
            return expr
        case _:
            return PrimitiveExpr("unknown")


def object_example(value: dict[str, Any]) -> bool:
    """An example object that shows fields, not a map's placeholder key."""
    return bool(value) and list(value) != ["foo"]


def example_expr(value: Any) -> Expr:
    """What an example value tells about its type: its JSON kind (integral numbers are still numbers)."""
    if isinstance(value, bool):
        return PrimitiveExpr("boolean")
    if isinstance(value, int | float):
        return PrimitiveExpr("number")
    if isinstance(value, str):
        return PrimitiveExpr("string")
    if isinstance(value, dict) and value and list(value) == ["foo"]:
        return MapExpr(example_expr(value["foo"]))
    if isinstance(value, list) and value:
        return ArrayExpr(example_expr(value[0]))
    return PrimitiveExpr("unknown")


def expr_of(t: ir.TypeNode, known: Known) -> Expr:
    """A type another page gives a field, as an expression (named roots by name, nested types unknown)."""
    match t:
        case ir.PrimitiveType(kind):
            return PrimitiveExpr(
                {"str": "string", "int": "integer", "float": "number", "bool": "boolean"}.get(kind.value, "unknown")
            )
        case ir.LiteralType(values):
            from generator.flavours.expr import LiteralExpr

            if len(values) == 1:
                return LiteralExpr(values[0])
            return UnionExpr(tuple(LiteralExpr(v) for v in values), 0)
        case ir.ArrayType(item):
            return ArrayExpr(expr_of(item, known))
        case ir.MapType(value):
            return MapExpr(expr_of(value, known))
        case ir.Ref(name=name) if known.roots.get(name) == t:
            return NamedExpr(name)
        case _:
            return PrimitiveExpr("unknown")


def spell(expr: Expr) -> str:
    """An expression in the Python flavour's spelling."""

    match expr:
        case PrimitiveExpr(kind):
            return _PY_PRIM.get(kind, "None" if kind == "null" else "object")
        case LiteralExpr(value):
            return f"Literal[{json.dumps(value)}]"
        case ArrayExpr(item):
            return f"List[{spell(item)}]"
        case MapExpr(value):
            return f"Dict[str, {spell(value)}]"
        case NamedExpr(name):
            return name
        case UnionExpr(members):
            null = PrimitiveExpr("null")
            rest = [m for m in members if m != null]
            if rest and all(isinstance(m, LiteralExpr) for m in rest):
                inner = "Literal[" + ", ".join(json.dumps(m.value) for m in rest if isinstance(m, LiteralExpr)) + "]"
            elif len(rest) == 1:
                inner = spell(rest[0])
            else:
                inner = "Union[" + ", ".join(spell(m) for m in rest) + "]"
            return f"Optional[{inner}]" if null in members else inner
        case _:
            return "object"


def required_run(keys: list[str]) -> set[str]:
    """Keys of the first run in the example's order (``id`` first, then alphabetical): the required ones."""
    out: set[str] = set()
    prev: tuple[int, str] | None = None
    for k in keys:
        key = (0, "") if k == "id" else (1, k)
        if prev is not None and key <= prev:
            break
        out.add(k)
        prev = key
    return out


def literal_values(t: Expr | ir.TypeNode | None) -> list[str | int | bool]:
    """The literal values a page's type or a definition's type admits (through lists and ``null``)."""
    match t:
        case LiteralExpr(value):
            return [value]
        case ir.LiteralType(values):
            return list(values)
        case ArrayExpr(item) | ir.ArrayType(item):
            return literal_values(item)
        case UnionExpr(members):
            return [v for m in members for v in literal_values(m)]
        case _:
            return []
