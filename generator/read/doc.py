"""Doc entries: the flavour-neutral tree every reader produces from a docs page."""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.diagnostics import Span

__all__ = ["CodeBlock", "EndpointDoc", "Entry", "ExampleDoc", "PageDoc", "SectionDoc", "UnnamedDoc"]


@dataclass(frozen=True, slots=True)
class Entry:
    """One list item whose first line is a code span: a field, a variant, an alias or a value."""

    signature: str
    """The code span's text, e.g. ``id: string`` or ``Click object { button, type }``."""
    description: str
    """The item's prose (markdown), paragraphs separated by blank lines."""
    children: tuple[Entry, ...]
    """Nested entries, in document order."""
    span: Span
    """Where the code span starts."""


@dataclass(frozen=True, slots=True)
class CodeBlock:
    """A fenced code block."""

    lang: str
    """The fence's info string (``http``, ``json``, ``python`` …)."""
    text: str
    """The block's content."""
    span: Span
    """The line of the first content line."""
    line_spans: tuple[Span, ...] = ()
    """Where each content line starts, when they are not consecutive lines of the file (a collapsed page
    puts every line on one); empty when they are."""

    def place(self, line: int, col: int) -> Span:
        """The file position of 1-based ``line`` and ``col`` of the content (as ``json`` reports errors)."""
        if not self.line_spans:
            return Span(self.span.file, self.span.line + line - 1, col)
        if line > len(self.line_spans):  # the end of the text, past its last line break
            line = len(self.line_spans)
            col = len(self.text.split("\n")[line - 1]) + 1
        start = self.line_spans[max(line, 1) - 1]
        return Span(start.file, start.line, start.col + col - 1)


@dataclass(frozen=True, slots=True)
class ExampleDoc:
    """An ``### Example`` with its request and ``#### Response``."""

    request: CodeBlock | None
    """The request (a curl command for HTTP pages)."""
    response: CodeBlock | None
    """The JSON response."""


@dataclass(frozen=True, slots=True)
class SectionDoc:
    """A ``###`` section that lists entries (Body Parameters, Returns, …)."""

    title: str
    """The heading text."""
    entries: tuple[Entry, ...]
    """Top-level entries."""
    span: Span
    """The heading's location."""


@dataclass(frozen=True, slots=True)
class EndpointDoc:
    """A ``##`` endpoint: title, HTTP method and path, description, sections, examples."""

    title: str
    """The heading text, e.g. ``Compact a response``."""
    http_method: str
    """Lower-case HTTP method, e.g. ``post``."""
    path: str
    """URL template, e.g. ``/conversations/{conversation_id}/items``."""
    description: str
    """Prose under the method line."""
    sections: tuple[SectionDoc, ...]
    """Parameter and return sections, in document order."""
    examples: tuple[ExampleDoc, ...]
    """Request/response examples."""
    span: Span
    """The heading's location."""
    call: str = ""
    """The SDK method line when the page has one, e.g. ``conversations.items.list(...) -> X``."""
    stream: SectionDoc | None = None
    """What each event of the streamed form is (one entry, like ``Returns``), when the page says."""

    def passed(self) -> frozenset[str] | None:
        """The keyword arguments every example request passes to the SDK method (None: none calls it).

        The examples are valid calls, so a parameter one of them leaves out is not required.
        """
        method = self.call.partition("(")[0].strip()
        if not method:
            return None
        found: frozenset[str] | None = None
        for ex in self.examples:
            text = ex.request.text if ex.request else ""
            at = text.find("." + method)
            if at < 0 or text[at + len(method) + 1 : at + len(method) + 2].isidentifier():
                continue
            names = frozenset(_keywords(text[at + len(method) + 1 :]))
            found = names if found is None else found & names
        return found


def _keywords(call: str) -> list[str]:
    """The keyword names of the call whose argument list ``call`` starts with (Ruby ``name:``,
    Python ``name=``); empty when it has no argument list."""
    if not call.startswith("("):
        return []
    out: list[str] = []
    depth, i, quote = 0, 0, ""
    while i < len(call):
        c = call[i]
        if quote:
            if c == "\\":
                i += 1
            elif c == quote:
                quote = ""
        elif c in "\"'":
            quote = c
        elif c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth == 0:
                break
        elif depth == 1 and (c.isalpha() or c == "_") and not call[i - 1].isalnum() and call[i - 1] not in "_:.":
            word = re.match(r"\w+", call[i:])
            assert word is not None
            rest = call[i + word.end() :]
            if rest[:1] == ":" and rest[1:2] != ":" or rest[:1] == "=" and rest[1:2] != "=":
                out.append(word.group())
            i += word.end() - 1
        i += 1
    return out


@dataclass(frozen=True, slots=True)
class PageDoc:
    """One docs page as read, before its type expressions are parsed."""

    file: str
    """The page's path as given in the manifest."""
    flavour: str
    """The flavour its type expressions are written in."""
    endpoints: tuple[EndpointDoc, ...]
    """Endpoints in document order."""
    domain: tuple[SectionDoc, ...] = ()
    """``## Domain Types`` sections: one named type each."""
    entries_read: tuple[UnnamedDoc, ...] = ()
    """Scraped pages: every field entry and how its name was found (``how``), named or not."""


@dataclass(frozen=True, slots=True)
class UnnamedDoc:
    """An entry a scraped page lists without its field name, and which no rule could name."""

    description: str
    span: Span
    owner: str
    """The type it belongs to, as far as known: a type name or ``Owner.field`` path."""
    owner_span: Span | None
    """Where the page's entry that defines the owning type starts (None: another page defines it)."""
    how: str = "unnamed"
    """How the entry was read: ``unnamed``, or for coverage of named ones ``page``/``description``/``example``."""
    name: str = ""
    """The JSON key it was given (empty when unnamed)."""
