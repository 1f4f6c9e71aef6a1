"""Doc entries: the flavour-neutral tree every reader produces from a docs page."""

from __future__ import annotations

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
