"""Diagnostics: errors and warnings as values, each tied to a source span."""

from __future__ import annotations

import enum
from dataclasses import dataclass

__all__ = ["Diagnostic", "Level", "Span", "format_diagnostic", "has_errors"]


class Level(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A place in a source file; line and column are 1-based."""

    file: str
    """Path of the source, as the user named it (relative to the working directory)."""
    line: int
    """1-based line number."""
    col: int = 1
    """1-based column of the offending text."""

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding about the input, with the line it was found on."""

    level: Level
    """Whether the finding stops generation."""
    code: str
    """Stable identifier, e.g. ``E104``, for tests and for users to search."""
    message: str
    """Human-readable explanation."""
    span: Span
    """Where in the docs the problem is."""
    source_line: str = ""
    """The text of the line at ``span.line``, shown under the message with a caret."""


def has_errors(diagnostics: tuple[Diagnostic, ...] | list[Diagnostic]) -> bool:
    return any(d.level is Level.ERROR for d in diagnostics)


def format_diagnostic(d: Diagnostic) -> str:
    """Render the way black and libcst render syntax errors: location, message, line, caret."""
    head = f"{d.span}: {d.level.value}[{d.code}]: {d.message}"
    if not d.source_line:
        return head
    line = d.source_line.rstrip("\n")
    # Keep huge lines readable: show a window around the column.
    start = max(0, d.span.col - 1 - 60)
    shown = line[start : start + 120]
    caret = " " * (d.span.col - 1 - start) + "^"
    return f"{head}\n    {shown}\n    {caret}"
