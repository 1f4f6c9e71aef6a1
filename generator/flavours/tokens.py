"""A small tokenizer shared by the flavour parsers: names, strings, numbers, punctuation, symbols."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

__all__ = ["MAX_DEPTH", "ExprError", "Tok", "TokenStream", "tokenize", "unquote"]

T = TypeVar("T")

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<string>"(?:[^"\\]|\\.)*")
  | (?P<symbol>:(?:"(?:[^"\\]|\\.)*"|[A-Za-z_][A-Za-z0-9_]*[?!]?))
  | (?P<number>\d+)
  | (?P<word>[A-Za-z_][A-Za-z0-9_.]*)
  | (?P<punct>\*\*|->|[{}\[\](),:=|<>;…])
    """,
    re.VERBOSE,
)


class ExprError(ValueError):
    """A signature that does not follow its flavour's grammar; ``offset`` is where in the text."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.offset = offset


@dataclass(frozen=True, slots=True)
class Tok:
    kind: str
    text: str
    offset: int


def tokenize(text: str) -> list[Tok]:
    tokens: list[Tok] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            raise ExprError(f"unexpected character {text[pos]!r}", pos)
        kind = m.lastgroup
        assert kind is not None
        if kind != "ws":
            tokens.append(Tok(kind, m.group(), pos))
        pos = m.end()
    tokens.append(Tok("end", "", len(text)))
    return tokens


def unquote(text: str) -> str:
    return text[1:-1].replace('\\"', '"').replace("\\\\", "\\")


MAX_DEPTH = 32
"""How deeply types may nest (``array of``, ``List[``): far beyond any docs, well within Python's stack."""


class TokenStream:
    """Cursor over tokens with the look-ahead the recursive-descent parsers need."""

    def __init__(self, text: str) -> None:
        self.toks = tokenize(text)
        self.i = 0
        self.depth = 0

    def nested(self, opener: Tok, parse: Callable[[], T]) -> T:
        """``parse()`` one level deeper; refused beyond ``MAX_DEPTH`` levels, at the opening token."""
        if self.depth >= MAX_DEPTH:
            raise ExprError(f"the type nests deeper than {MAX_DEPTH} levels", opener.offset)
        self.depth += 1
        value = parse()
        self.depth -= 1
        return value

    @property
    def tok(self) -> Tok:
        return self.toks[self.i]

    def peek(self, n: int = 1) -> Tok:
        return self.toks[min(self.i + n, len(self.toks) - 1)]

    def at(self, text: str) -> bool:
        return self.tok.text == text and self.tok.kind not in ("string", "symbol")

    def take(self, text: str) -> Tok:
        if not self.at(text):
            raise ExprError(f"expected {text!r}, found {self.tok.text or 'end of signature'!r}", self.tok.offset)
        tok = self.tok
        self.i += 1
        return tok

    def name(self) -> str:
        if self.tok.kind != "word":
            raise ExprError(f"expected a name, found {self.tok.text or 'end of signature'!r}", self.tok.offset)
        self.i += 1
        return self.toks[self.i - 1].text

    def type_name(self, tok: Tok, primitives: Iterable[str]) -> str:
        """A word taken as the name of a type: the docs capitalise every named type, so a lower-case word
        that is none of the flavour's ``primitives`` is a misspelling (``strng``), not a reference."""
        if tok.text[:1].islower():
            close = difflib.get_close_matches(tok.text, sorted(primitives), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise ExprError(f"unknown type word {tok.text!r}{hint}", tok.offset)
        return tok.text

    def more(self) -> int | None:
        """``N more`` at the cursor: consume it and return N."""
        if self.tok.kind == "number" and self.peek().text == "more":
            count = int(self.tok.text)
            self.i += 2
            return count
        return None

    def end(self) -> None:
        if self.tok.kind != "end":
            raise ExprError(f"unexpected {self.tok.text!r} after the type", self.tok.offset)
