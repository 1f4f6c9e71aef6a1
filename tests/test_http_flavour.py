"""HTTP-flavour type expressions: the documented forms, errors with offsets, and a print/parse round trip."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.flavours.expr import (
    AliasSig,
    ArrayExpr,
    BareSig,
    Expr,
    FieldSig,
    LiteralExpr,
    MapExpr,
    NamedExpr,
    ObjectExpr,
    PrimitiveExpr,
    UnionExpr,
)
from generator.flavours.http import ExprError, parse_signature

S, N = PrimitiveExpr("string"), PrimitiveExpr("number")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("id: string", FieldSig("id", S, False, False)),
        ("x: optional map[string or number]", FieldSig("x", MapExpr(UnionExpr((S, N), 0)), True, False)),
        # `array of` takes the rest of the union.
        (
            "value: string or array of string or number",
            FieldSig("value", UnionExpr((S, ArrayExpr(UnionExpr((S, N), 0))), 0), False, False),
        ),
        # `N more` may sit in the middle of a union.
        (
            'model: "a" or "b" or 89 more or string',
            FieldSig("model", UnionExpr((LiteralExpr("a"), LiteralExpr("b"), S), 89, 2), False, False),
        ),
        ("Click object { button, type, x, 2 more }", BareSig(ObjectExpr("Click", ("button", "type", "x"), 2))),
        (
            'require: object { always, never }  or "always"',
            FieldSig(
                "require", UnionExpr((ObjectExpr(None, ("always", "never"), 0), LiteralExpr("always")), 0), False, False
            ),
        ),
        ("TextInput = string", AliasSig("TextInput", S)),
        ("usage: ResponseUsage", FieldSig("usage", NamedExpr("ResponseUsage"), False, False)),
        ('"unknown"', BareSig(LiteralExpr("unknown"))),
        ("arguments: unknown", FieldSig("arguments", PrimitiveExpr("unknown"), False, False)),
    ],
)
def test_documented_forms(text: str, expected: object) -> None:
    assert parse_signature(text) == expected


@pytest.mark.parametrize(
    ("text", "offset"),
    [
        ("x: string or or", 13),
        ("x: map[string", 13),
        ("object { a b }", 11),
        ("x: array of", 11),
        ("x: $", 3),
        ('x: "unterminated', 3),
    ],
)
def test_errors_carry_the_offset(text: str, offset: int) -> None:
    with pytest.raises(ExprError) as info:
        parse_signature(text)
    assert info.value.offset == offset


# -- round trip: print random expressions the way the docs do, parse them back ---------------------------------

names = st.from_regex(r"[A-Z][a-z]{1,6}[A-Z][a-z]{1,5}", fullmatch=True)
fields = st.from_regex(r"[a-z]{1,8}(_[a-z]{1,5})?", fullmatch=True).filter(
    lambda s: s
    not in {
        "or",
        "of",
        "more",
        "optional",
        "object",
        "array",
        "map",
        "string",
        "number",
        "boolean",
        "unknown",
        "null",
        "integer",
        "true",
        "false",
    }
)
literals = st.builds(LiteralExpr, st.from_regex(r"[a-z0-9_.\-]{1,12}", fullmatch=True))
leaves = st.one_of(
    st.sampled_from([PrimitiveExpr(k) for k in ("string", "number", "boolean", "unknown")]),
    literals,
    names.map(NamedExpr),
    st.builds(
        lambda t, h, m: ObjectExpr(t, tuple(dict.fromkeys(h)), m),
        st.none() | names,
        st.lists(fields, min_size=1, max_size=4),
        st.integers(0, 30),
    ),
)


def unions(inner: st.SearchStrategy[Expr]) -> st.SearchStrategy[Expr]:
    def build(members: list[Expr], last_array: Expr | None, more: int, at: int) -> Expr:
        ms = tuple(members) + ((ArrayExpr(last_array),) if last_array is not None else ())
        # `N more` cannot follow a trailing `array of`: the array would take it.
        return UnionExpr(ms, more, min(at, len(members)) if more else -1)

    non_array = inner.filter(lambda e: not isinstance(e, ArrayExpr | UnionExpr))
    return st.one_of(
        st.builds(ArrayExpr, inner),
        st.builds(MapExpr, inner),
        st.builds(
            build, st.lists(non_array, min_size=2, max_size=4), st.none() | inner, st.integers(0, 40), st.integers(1, 4)
        ),
    )


exprs = st.recursive(leaves, unions, max_leaves=12)


def show(e: Expr) -> str:
    match e:
        case PrimitiveExpr(kind):
            return kind
        case LiteralExpr(value):
            return f'"{value}"'
        case NamedExpr(name):
            return name
        case ObjectExpr(title, hint, more):
            inner = ", ".join([*hint, *([f"{more} more"] if more else [])])
            return f"{title + ' ' if title else ''}object {{ {inner} }}"
        case ArrayExpr(item):
            return f"array of {show(item)}"
        case MapExpr(value):
            return f"map[{show(value)}]"
        case UnionExpr(members, more, at):
            parts = [show(m) for m in members]
            if more:
                parts.insert(at, f"{more} more")
            return " or ".join(parts)


def normal(e: Expr) -> Expr:
    """Unions nested directly in a union read back flattened; arrays keep their own union."""
    match e:
        case UnionExpr(members, more, at):
            return UnionExpr(tuple(normal(m) for m in members), more, at)
        case ArrayExpr(item):
            return ArrayExpr(normal(item))
        case MapExpr(value):
            return MapExpr(normal(value))
        case _:
            return e


@settings(max_examples=300, deadline=None)
@given(fields, st.booleans(), exprs)
def test_print_then_parse_is_identity(name: str, optional: bool, expr: Expr) -> None:
    if isinstance(expr, UnionExpr) and any(isinstance(m, UnionExpr) for m in expr.members):
        return
    text = f"{name}: {'optional ' if optional else ''}{show(expr)}"
    assert parse_signature(text) == FieldSig(name, normal(expr), optional, False)
