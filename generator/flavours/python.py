"""Python flavour: ``name: Optional[List[X]]``, ``class X: …``, ``Literal["a", 3 more]``, ``Union[...]``."""

from __future__ import annotations

from generator.flavours.expr import (
    ArrayExpr,
    BareSig,
    Expr,
    FieldSig,
    LiteralExpr,
    MapExpr,
    NamedExpr,
    ObjectExpr,
    PrimitiveExpr,
    Signature,
    UnionExpr,
)
from generator.flavours.tokens import ExprError, Tok, TokenStream, unquote

__all__ = ["ExprError", "parse_signature"]

_PRIMITIVES = {"str": "string", "int": "integer", "float": "number", "bool": "boolean", "object": "unknown"}
_PRIMITIVES |= {"null": "null", "None": "null"}
_NULL = PrimitiveExpr("null")


def _without_null(expr: Expr) -> tuple[Expr, bool]:
    """Split ``Union[A, B, null]`` into ``Union[A, B]`` and a nullable flag."""
    if isinstance(expr, UnionExpr) and _NULL in expr.members:
        members = tuple(m for m in expr.members if m != _NULL)
        at = expr.more_at - (expr.more_at > expr.members.index(_NULL)) if expr.more else -1
        if len(members) == 1 and not expr.more:
            return members[0], True
        return UnionExpr(members, expr.more, at), True
    return expr, expr == _NULL


class _Parser(TokenStream):
    def signature(self) -> Signature:
        if self.at("class") and self.peek().kind == "word":
            self.i += 1
            name = self.name()
            if self.at(":"):
                self.i += 1
                if self.at("…"):
                    self.i += 1
            self.end()
            return BareSig(ObjectExpr(name, (), -1))
        if self.tok.kind == "word" and self.peek().text == ":":
            field = self.name()
            self.take(":")
            t = self.type()
            self.end()
            # Python's Optional mixes "may be absent" and "may be null": the page cannot tell them apart.
            inner, nullable = _without_null(t)
            return FieldSig(field, inner, nullable, nullable)
        t = self.type()
        self.end()
        return BareSig(_without_null(t)[0])

    def type(self) -> Expr:
        tok = self.tok
        if tok.kind == "string":
            self.i += 1
            return LiteralExpr(unquote(tok.text))
        if tok.kind != "word":
            raise ExprError(f"expected a type, found {tok.text or 'end of signature'!r}", tok.offset)
        self.i += 1
        if tok.text in _PRIMITIVES:
            return PrimitiveExpr(_PRIMITIVES[tok.text])
        if not self.at("["):
            return NamedExpr(self.type_name(tok, [*_PRIMITIVES, "Optional", "List", "Dict", "Union", "Literal"]))
        return self.nested(tok, lambda: self.generic(tok))

    def generic(self, tok: Tok) -> Expr:
        """``Name[...]`` after its name: Optional, List, Dict, Union, Literal."""
        self.take("[")
        if tok.text == "Optional":
            inner = self.type()
            self.take("]")
            shown = inner.members if isinstance(inner, UnionExpr) and not inner.more else (inner,)
            return UnionExpr((*shown, _NULL), 0, -1)
        if tok.text in ("List", "Iterable", "Sequence"):
            inner = self.type()
            self.take("]")
            return ArrayExpr(inner)
        if tok.text in ("Dict", "Mapping"):
            self.name()
            self.take(",")
            inner = self.type()
            self.take("]")
            return MapExpr(inner)
        if tok.text in ("Union", "Literal"):
            members: list[Expr] = []
            more, more_at = 0, -1
            while True:
                count = self.more()
                if count is not None:
                    more, more_at = count, len(members)
                else:
                    member = self.type()
                    if tok.text == "Literal" and not isinstance(member, LiteralExpr):
                        raise ExprError("Literal[...] takes only quoted values", self.toks[self.i - 1].offset)
                    members.append(member)
                if not self.at(","):
                    break
                self.i += 1
            self.take("]")
            if len(members) == 1 and not more:
                return members[0]
            return UnionExpr(tuple(members), more, more_at)
        raise ExprError(f"unknown generic type {tok.text!r}", tok.offset)


def parse_signature(text: str) -> Signature:
    """Parse one entry's code span; raises ExprError with an offset into ``text``."""
    return _Parser(text).signature()
