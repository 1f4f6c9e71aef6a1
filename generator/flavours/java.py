"""Java flavour (scraped SDK pages): ``Optional<List<Logprob>>``, ``List<T>``, ``Map<String, T>``, ``JsonValue``."""

from __future__ import annotations

import re

from generator.flavours.expr import ArrayExpr, Expr, MapExpr, NamedExpr, PrimitiveExpr, UnionExpr

__all__ = ["camel_to_wire", "parse_type"]

_PRIMITIVES = {
    "String": "string",
    "Long": "integer",
    "Integer": "integer",
    "Double": "number",
    "Float": "number",
    "Boolean": "boolean",
    "JsonValue": "unknown",
    "Object": "unknown",
}
_TOKEN = re.compile(r"\s*([A-Za-z_]\w*|[<>,])")


def camel_to_wire(name: str) -> str:
    """``pendingSafetyChecks`` → ``pending_safety_checks``: the Java SDK camel-cases the JSON keys."""
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def parse_type(text: str) -> Expr:
    """Parse a Java type; raises ValueError on anything else."""
    tokens = [m.group(1) for m in _TOKEN.finditer(text)]
    if "".join(tokens) != "".join(text.split()).rstrip(";"):
        raise ValueError(f"not a Java type: {text!r}")
    expr, rest = _type(tokens)
    if rest:
        raise ValueError(f"unexpected {rest[0]!r} in {text!r}")
    return expr


def _type(tokens: list[str]) -> tuple[Expr, list[str]]:
    if not tokens or not tokens[0][0].isalpha():
        raise ValueError("expected a type")
    name, rest = tokens[0], tokens[1:]
    if not rest or rest[0] != "<":
        return (PrimitiveExpr(_PRIMITIVES[name]) if name in _PRIMITIVES else NamedExpr(name)), rest
    args: list[Expr] = []
    rest = rest[1:]
    while True:
        arg, rest = _type(rest)
        args.append(arg)
        if rest and rest[0] == ",":
            rest = rest[1:]
            continue
        if not rest or rest[0] != ">":
            raise ValueError("expected '>'")
        rest = rest[1:]
        break
    if name == "Optional" and len(args) == 1:
        return UnionExpr((args[0], PrimitiveExpr("null")), 0), rest
    if name == "List" and len(args) == 1:
        return ArrayExpr(args[0]), rest
    if name == "Map" and len(args) == 2:
        return MapExpr(args[1]), rest
    raise ValueError(f"unknown generic type {name!r}")
