"""Ruby flavour: ``name: String | Array[X]``, ``class X``, ``:symbol`` literals, ``Name{ a, b, 2 more}``."""

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

_PRIMITIVES = {"String": "string", "Integer": "integer", "Float": "number", "bool": "boolean"}
_PRIMITIVES |= {"untyped": "unknown", "nil": "null", "NilClass": "null"}


def wire_name(name: str) -> str:
    """Ruby renames fields that clash with its methods with a trailing ``_`` (``y_`` for ``y``)."""
    return name[:-1] if name.endswith("_") and len(name) > 1 else name


class _Parser(TokenStream):
    def signature(self) -> Signature:
        if self.at("class") and self.peek().kind == "word":
            self.i += 1
            name = self.name()
            self.end()
            return BareSig(ObjectExpr(name, (), -1))
        if self.tok.kind == "word" and self.peek().text == ":" and self.peek().kind == "punct":
            field = self.name()
            self.take(":")
            t = self.union()
            self.end()
            return FieldSig(wire_name(field), t, False, False)
        if self.tok.kind == "word" and self.peek().text == "=":
            alias = self.name()
            self.take("=")
            t = self.union()
            self.end()
            return AliasSig(alias, t)
        t = self.union()
        self.end()
        return BareSig(t)

    def union(self) -> Expr:
        members = [self.term()]
        more, more_at = 0, -1
        while self.at("|"):
            self.i += 1
            count = self.more()
            if count is not None and more_at < 0:
                more, more_at = count, len(members)
                continue
            members.append(self.term())
        if len(members) == 1 and not more:
            return members[0]
        return UnionExpr(tuple(members), more, more_at)

    def term(self) -> Expr:
        tok = self.tok
        if tok.kind == "symbol":
            self.i += 1
            body = tok.text[1:]
            return LiteralExpr(unquote(body) if body.startswith('"') else body)
        if tok.kind == "string":
            self.i += 1
            return LiteralExpr(unquote(tok.text))
        if tok.kind != "word":
            raise ExprError(f"expected a type, found {tok.text or 'end of signature'!r}", tok.offset)
        self.i += 1
        if tok.text in _PRIMITIVES:
            return PrimitiveExpr(_PRIMITIVES[tok.text])
        if tok.text == "Array" and self.at("["):
            self.i += 1
            inner = self.nested(tok, self.union)
            self.take("]")
            return ArrayExpr(inner)
        if tok.text == "Hash" and self.at("["):
            self.i += 1
            self.name()
            self.take(",")
            inner = self.nested(tok, self.union)
            self.take("]")
            return MapExpr(inner)
        if self.at("{"):
            self.i += 1
            names: list[str] = []
            more = 0
            while not self.at("}"):
                if names or more:
                    self.take(",")
                count = self.more()
                if count is not None:
                    more = count
                else:
                    names.append(wire_name(self.name()))
            self.take("}")
            return ObjectExpr(tok.text, tuple(names), more)
        return NamedExpr(self.type_name(tok, [*_PRIMITIVES, "Array", "Hash"]))


def parse_signature(text: str) -> Signature:
    """Parse one entry's code span; raises ExprError with an offset into ``text``."""
    return _Parser(text).signature()
