"""HTTP flavour: tokenizer and recursive-descent parser for ``name: optional array of X or "y"``."""

from __future__ import annotations

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
    Signature,
    UnionExpr,
)
from generator.flavours.tokens import ExprError, TokenStream, unquote

__all__ = ["ExprError", "parse_signature"]

_PRIMITIVES = {"string": "string", "number": "number", "integer": "integer", "boolean": "boolean"}
_PRIMITIVES |= {"unknown": "unknown", "null": "null"}

_RESERVED = frozenset({"or", "of", "more", "optional"})
"""Words of the grammar that cannot be type names."""


class _Parser(TokenStream):
    # signature := NAME ':' ['optional'] union | NAME '=' union | union
    def signature(self) -> Signature:
        if self.tok.kind == "word" and self.peek().text == ":":
            field = self.name()
            self.take(":")
            optional = False
            if self.at("optional") and self.peek().kind != "end":
                self.i += 1
                optional = True
            sig: Signature = FieldSig(field, self.union(), optional, False)
        elif self.tok.kind == "word" and self.peek().text == "=":
            alias = self.name()
            self.take("=")
            sig = AliasSig(alias, self.union())
        else:
            sig = BareSig(self.union())
        if self.tok.kind != "end":
            raise ExprError(f"unexpected {self.tok.text!r} after the type", self.tok.offset)
        return sig

    # union := term ('or' (term | N 'more'))*   -- `N more` may sit anywhere after the first term
    def union(self) -> Expr:
        members = [self.term()]
        more, more_at = 0, -1
        while self.at("or"):
            self.i += 1
            if self.tok.kind == "number" and self.peek().text == "more" and more_at < 0:
                more, more_at = int(self.tok.text), len(members)
                self.i += 2
                continue
            members.append(self.term())
        if len(members) == 1 and more == 0:
            return members[0]
        return UnionExpr(tuple(members), more, more_at)

    # term := 'array' 'of' union | 'map' '[' union ']' | [NAME] 'object' '{' hint '}' | STRING | NAME
    def term(self) -> Expr:
        tok = self.tok
        if tok.kind == "string":
            self.i += 1
            return LiteralExpr(unquote(tok.text))
        if tok.kind == "number":
            self.i += 1
            return LiteralExpr(int(tok.text))
        if tok.kind != "word" or tok.text in _RESERVED:
            raise ExprError(f"expected a type, found {tok.text or 'end of signature'!r}", tok.offset)
        if tok.text == "array" and self.peek().text == "of":
            self.i += 2
            # `array of` binds loosely: it takes the rest of the union.
            return ArrayExpr(self.nested(tok, self.union))
        if tok.text == "map" and self.peek().text == "[":
            self.i += 2
            value = self.nested(tok, self.union)
            self.take("]")
            return MapExpr(value)
        if tok.text == "object" and self.peek().text == "{":
            return self.object(None)
        if self.peek().text == "object" and self.peek(2).text == "{":
            self.i += 1
            return self.object(tok.text)
        self.i += 1
        if tok.text in _PRIMITIVES:
            return PrimitiveExpr(_PRIMITIVES[tok.text])
        if tok.text in ("true", "false"):
            return LiteralExpr(tok.text == "true")
        return NamedExpr(self.type_name(tok, [*_PRIMITIVES, "true", "false", "array", "map", "object"]))

    def object(self, title: str | None) -> ObjectExpr:
        self.take("object")
        self.take("{")
        names: list[str] = []
        more = 0
        while not self.at("}"):
            if names or more:
                self.take(",")
            if self.tok.kind == "number" and self.peek().text == "more":
                more = int(self.tok.text)
                self.i += 2
            else:
                names.append(self.name())
        self.take("}")
        return ObjectExpr(title, tuple(names), more)


def parse_signature(text: str) -> Signature:
    """Parse one entry's code span; raises ExprError with an offset into ``text``."""
    return _Parser(text).signature()
