"""Type expressions as the docs write them, shared by every flavour's parser."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "AliasSig",
    "ArrayExpr",
    "BareSig",
    "Expr",
    "FieldSig",
    "LiteralExpr",
    "MapExpr",
    "NamedExpr",
    "ObjectExpr",
    "PrimitiveExpr",
    "Signature",
    "UnionExpr",
    "member_slots",
    "named_in",
]


@dataclass(frozen=True, slots=True)
class PrimitiveExpr:
    """``string``, ``number``, ``integer``, ``boolean``, ``unknown`` (any JSON) or ``null``."""

    kind: str


@dataclass(frozen=True, slots=True)
class LiteralExpr:
    """One literal value, e.g. ``"input_text"``."""

    value: str | int | bool


@dataclass(frozen=True, slots=True)
class ArrayExpr:
    """``array of T``."""

    item: Expr


@dataclass(frozen=True, slots=True)
class MapExpr:
    """``map[T]``: an object with string keys and values of type T."""

    value: Expr


@dataclass(frozen=True, slots=True)
class ObjectExpr:
    """``[Title] object { a, b, 3 more }``: an object whose first field names are hinted."""

    title: str | None
    """The name before ``object``, when the docs give one."""
    hint: tuple[str, ...]
    """The field names shown."""
    more: int
    """How many further fields the hint leaves out."""


@dataclass(frozen=True, slots=True)
class NamedExpr:
    """A type named by the docs, e.g. ``ResponseUsage``."""

    name: str


@dataclass(frozen=True, slots=True)
class UnionExpr:
    """``A or B or 27 more``: members shown, plus how many were left out."""

    members: tuple[Expr, ...]
    more: int
    """How many members were left out."""
    more_at: int = -1
    """Index in ``members`` before which the left-out members sit (-1: none left out)."""


Expr = PrimitiveExpr | LiteralExpr | ArrayExpr | MapExpr | ObjectExpr | NamedExpr | UnionExpr


@dataclass(frozen=True, slots=True)
class FieldSig:
    """``name: [optional] T``: a field or parameter."""

    name: str
    type: Expr
    optional: bool
    """The docs mark the field as optional (may be omitted)."""
    nullable: bool
    """The docs mark the field as nullable (``null`` is a value)."""


@dataclass(frozen=True, slots=True)
class AliasSig:
    """``Name = T``: a named alias, usually one member of a union."""

    name: str
    type: Expr


@dataclass(frozen=True, slots=True)
class BareSig:
    """A type on its own: a union member, a literal value, a named object."""

    type: Expr


Signature = FieldSig | AliasSig | BareSig


def member_slots(expr: UnionExpr, absorb_more: bool = False) -> list[Expr | None]:
    """One slot per child entry a union has: a run of literals is one child; hidden members are None.

    With ``absorb_more``, hidden members next to a literal run are read as more values of that run
    (``"a" or "b" or 89 more or string`` lists two children), the other reading the docs allow.
    """
    members: list[Expr | None] = list(expr.members)
    if expr.more:
        at = expr.more_at if expr.more_at >= 0 else len(members)
        members[at:at] = [None] * expr.more
    slots: list[Expr | None] = []
    prev_literal = False
    for i, m in enumerate(members):
        literal = isinstance(m, LiteralExpr)
        if m is None and absorb_more:
            near = [members[j] for j in (i - 1, i + 1) if 0 <= j < len(members)]
            literal = prev_literal or any(isinstance(n, LiteralExpr) for n in near)
        if literal and prev_literal:
            continue
        slots.append(m)
        prev_literal = literal
    return slots


def named_in(expr: Expr) -> list[str]:
    """The type names an expression refers to."""
    match expr:
        case NamedExpr(name):
            return [name]
        case ArrayExpr(inner) | MapExpr(inner):
            return named_in(inner)
        case UnionExpr(members):
            return [n for m in members for n in named_in(m)]
        case _:
            return []
