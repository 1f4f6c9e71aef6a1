"""HTTP flavour: tokenizer and recursive-descent parser for ``name: optional array of X or "y"``."""

from __future__ import annotations

import re
from dataclasses import dataclass

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

__all__ = ["ExprError", "parse_signature"]

_PRIMITIVES = {"string": "string", "number": "number", "integer": "integer", "boolean": "boolean"}
_PRIMITIVES |= {"unknown": "unknown", "null": "null"}

_RESERVED = frozenset({"or", "of", "more", "optional"})
"""Words of the grammar that cannot be type names."""

_MAX_DEPTH = 32
"""How deeply ``array of`` and ``map[...]`` may nest: far beyond any docs, well within Python's stack."""

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<string>"(?:[^"\\]|\\.)*")
  | (?P<number>\d+)
  | (?P<word>[A-Za-z_][A-Za-z0-9_.]*)
  | (?P<punct>[{}\[\],:=])
    """,
    re.VERBOSE,
)


class ExprError(ValueError):
    """A signature that does not follow the grammar; ``offset`` is where in the text."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.offset = offset


@dataclass(frozen=True, slots=True)
class _Tok:
    kind: str
    text: str
    offset: int


def _tokenize(text: str) -> list[_Tok]:
    tokens: list[_Tok] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            raise ExprError(f"unexpected character {text[pos]!r}", pos)
        kind = m.lastgroup
        assert kind is not None
        if kind != "ws":
            tokens.append(_Tok(kind, m.group(), pos))
        pos = m.end()
    tokens.append(_Tok("end", "", len(text)))
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.toks = _tokenize(text)
        self.i = 0
        self.depth = 0

    @property
    def tok(self) -> _Tok:
        return self.toks[self.i]

    def peek(self, n: int = 1) -> _Tok:
        return self.toks[min(self.i + n, len(self.toks) - 1)]

    def at(self, text: str) -> bool:
        return self.tok.text == text and self.tok.kind != "string"

    def take(self, text: str) -> _Tok:
        if not self.at(text):
            found = self.tok.text or "end of signature"
            raise ExprError(f"expected {text!r}, found {found!r}", self.tok.offset)
        tok = self.tok
        self.i += 1
        return tok

    def name(self) -> str:
        if self.tok.kind != "word":
            raise ExprError(f"expected a name, found {self.tok.text or 'end of signature'!r}", self.tok.offset)
        self.i += 1
        return self.toks[self.i - 1].text

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
            return LiteralExpr(tok.text[1:-1].replace('\\"', '"').replace("\\\\", "\\"))
        if tok.kind == "number":
            self.i += 1
            return LiteralExpr(int(tok.text))
        if tok.kind != "word" or tok.text in _RESERVED:
            raise ExprError(f"expected a type, found {tok.text or 'end of signature'!r}", tok.offset)
        if tok.text == "array" and self.peek().text == "of":
            self.i += 2
            # `array of` binds loosely: it takes the rest of the union.
            return ArrayExpr(self.nested(tok))
        if tok.text == "map" and self.peek().text == "[":
            self.i += 2
            value = self.nested(tok)
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
        return NamedExpr(tok.text)

    def nested(self, opener: _Tok) -> Expr:
        """The union inside ``array of`` or ``map[``, refused beyond ``_MAX_DEPTH`` levels."""
        if self.depth >= _MAX_DEPTH:
            raise ExprError(f"the type nests deeper than {_MAX_DEPTH} levels", opener.offset)
        self.depth += 1
        value = self.union()
        self.depth -= 1
        return value

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
