"""Read a scraped SDK reference page (plain text, Java or Python spelling) into a flat list of items."""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.diagnostics import Span

__all__ = ["Item", "TextPage", "nows", "read_items"]

_SECTION = re.compile(r"^(Parameters|Returns|Models)Expand Collapse$")
_UNION_MARK = "A class that can be one of several variants.union"
"""What the Java page's widget prints after a union class's name, before its description."""
_JAVA_CLASS = re.compile(r"^(class|enum) (\w+):(.*)$")
_PY_CLASS = re.compile(r"^(class) (\w+): …(.*)$")
_JAVA_GENERIC = re.compile(r"^(?:Deprecated)?((?:Optional|List|Map)<.*?>+) (.*)$")
_JAVA_NAMED = re.compile(r"^(?:Deprecated)?([A-Z]\w*) ([a-z]\w*.*)$")
_JAVA_BARE = re.compile(r"^(?:(?:Optional|List|Map)<[\w<>, ]*>|[A-Z]\w*|JsonValue;)$")
_PY_FIELD = re.compile(r"^([a-z_]\w*): ([A-Z]\w*.*)$")
_PY_BARE = re.compile(r"^((?:List|Optional|Union|Dict|Literal)\[.*)$")
_IDENT = re.compile(r"^[a-z_][A-Za-z0-9_]*$")


def nows(text: str) -> str:
    """Text without any whitespace: the scraper joins and splits words at will, never letters."""
    return "".join(text.split())


@dataclass(frozen=True, slots=True)
class Item:
    """One thing the page lists, in document order."""

    kind: str
    """``class``, ``union`` (a class whose variants follow), ``enum`` (a variant that is a set of strings),
    ``field``, ``bare`` (a type on its own line: a union member), ``text`` (a description with no name)
    or ``section``."""
    name: str
    """The class, field (as spelled on the page) or section name."""
    type: str
    """The type as spelled (``Optional<List<Logprob>>``, ``Literal["a", "b"]``); empty if none."""
    description: str
    """The description, once (the page prints most of them twice)."""
    span: Span
    doubled: bool = False
    """The description is printed twice: the entry is a header with children of its own."""
    end: int = 0
    """0-based line after the item."""


@dataclass(frozen=True, slots=True)
class TextPage:
    """A scraped page: its title lines, items, the code example and the JSON example."""

    title: tuple[str, ...]
    items: tuple[Item, ...]
    code: tuple[str, ...]
    """The code example's lines (Java), empty when there is none."""
    code_line: int
    """1-based line of the code example's first line."""
    example: str
    """The JSON example (the first copy), empty when there is none."""
    example_line: int


def _balanced_type(text: str) -> int:
    """Length of the Python type spelled at the start of ``text`` (``Optional[List[X]]``, ``ActionX``)."""
    m = re.match(r"[A-Za-z_]\w*", text)
    if not m:
        return 0
    i = m.end()
    if i < len(text) and text[i] == "[":
        depth, quote = 0, ""
        while i < len(text):
            c = text[i]
            if quote:
                quote = "" if c == quote else quote
            elif c in "\"'":
                quote = c
            elif c == "[":
                depth += 1
            elif c == "]":
                depth -= 1
                if depth == 0:
                    return i + 1
            i += 1
        return 0
    return i


class _Reader:
    def __init__(self, file: str, lines: list[str], java: bool) -> None:
        self.file = file
        self.lines = lines
        self.java = java
        self.squeezed = [nows(x) for x in lines]

    def repeat(self, i: int, head: str, limit: int) -> tuple[int, int, int] | None:
        """Where the description that starts in ``head`` (line ``i``'s tail) is printed again.

        Returns (characters of ``head`` before the description, continuation lines, repeat lines),
        comparing without whitespace; a repeat may be cut short (the page truncates long copies).
        """
        h = nows(head)
        if not h:
            return None
        for k in range(16):
            j = i + 1 + k
            if j >= limit:
                break
            cont = "".join(self.squeezed[i + 1 : j])
            first = self.squeezed[j]
            if not first or first[:12] not in h + cont[:12]:
                continue
            whole = h + cont
            rep = ""
            for m in range(1, 16):
                if j + m > limit:
                    break
                rep += self.squeezed[j + m - 1]
                if len(rep) > len(whole):
                    break
                if whole.endswith(rep) and len(rep) > len(cont) and h.endswith(rep[: len(rep) - len(cont)]):
                    if cont and not rep.endswith(cont):
                        continue
                    return len(h) - (len(rep) - len(cont)), k, m
                at = h.find(rep[:24])
                if m == 1 and len(rep) >= 80 and at >= 0 and whole[at:].startswith(rep):
                    return at, k, m
        return None

    def head_name(self, head: str, found: tuple[int, int, int] | None) -> str:
        """The name glued to the front of ``head``: what precedes the repeated description."""
        if found is None:
            return head.strip() if _IDENT.match(head.strip()) else ""
        cut = found[0]
        # `cut` counts characters without whitespace; the name has none.
        name = head.lstrip()[:cut]
        return name if _IDENT.match(name) else ""

    def read(self) -> tuple[list[Item], int]:
        items: list[Item] = []
        lines = self.lines
        limit = len(lines)
        code_at = self.code_start()
        if code_at is not None:
            limit = code_at
        i = 0
        while i < limit:
            line = lines[i]
            span = Span(self.file, i + 1, 1)
            if not line.strip():
                i += 1
                continue
            m = _SECTION.match(line)
            if m:
                items.append(Item("section", m.group(1), "", "", span, end=i + 1))
                i += 1
                continue
            m = (_JAVA_CLASS if self.java else _PY_CLASS).match(line)
            if m:
                name, head = m.group(2), m.group(3)
                kind = "enum" if m.group(1) == "enum" else "class"
                if head.startswith((" " + _UNION_MARK, _UNION_MARK)):
                    kind, head = "union", head.split(_UNION_MARK, 1)[1]
                i = self.emit(items, kind, name, "", head, i, limit, named=True)
                continue
            field = self.field_line(line, i, limit)
            if field is not None:
                type_text, name, head, ok = field
                if ok:
                    col = line.find(name) + 1 if self.java else 1
                    i = self.emit(items, "field", name, type_text, head, i, limit, named=True, col=col)
                    continue
            bare = self.bare_line(line)
            if bare is not None:
                type_text, head = bare
                i = self.emit(items, "bare", "", type_text, head, i, limit, named=True)
                continue
            i = self.emit(items, "text", "", "", line, i, limit, named=False)
        return items, limit

    def field_line(self, line: str, i: int, limit: int) -> tuple[str, str, str, bool] | None:
        """(type, name, the text after the name, is a field) for a typed field line."""
        if not self.java:
            m = _PY_FIELD.match(line)
            if not m:
                return None
            rest = m.group(2)
            n = _balanced_type(rest)
            if not n:
                return None
            found = self.repeat(i, rest, limit)
            if found is not None and found[0] < len(nows(rest[:n])):
                # The type glues to the description (`ActionA click action.`): the repeat tells where.
                n = len(rest) - len(rest.lstrip()[found[0] :])
            return rest[:n], m.group(1), rest[n:], True
        m = _JAVA_GENERIC.match(line)
        if m:
            type_text, rest = m.group(1), m.group(2)
            found = self.repeat(i, rest, limit)
            name = self.head_name(rest, found)
            if not name:
                m2 = re.match(r"[a-z]\w*", rest)
                name = m2.group(0) if m2 and m2.group(0) == rest.strip() else ""
            if not name:
                return None
            return type_text, name, rest.lstrip()[len(name) :], True
        m = _JAVA_NAMED.match(line)
        if m:
            type_text, rest = m.group(1), m.group(2)
            found = self.repeat(i, rest, limit)
            name = self.head_name(rest, found)
            if name and (found is not None or rest.strip() == name):
                return type_text, name, rest.lstrip()[len(name) :], True
        return None

    def bare_line(self, line: str) -> tuple[str, str] | None:
        if self.java:
            if _JAVA_BARE.match(line.strip()) and line.strip() not in ("Deprecated",):
                return line.strip().rstrip(";"), ""
            return None
        m = _PY_BARE.match(line)
        if not m:
            return None
        n = _balanced_type(line)
        return (line[:n], line[n:]) if n else None

    def emit(
        self,
        items: list[Item],
        kind: str,
        name: str,
        type_text: str,
        head: str,
        i: int,
        limit: int,
        named: bool,
        col: int = 1,
    ) -> int:
        """Append the item starting at line ``i`` and return the line after it (and its repeat)."""
        span = Span(self.file, i + 1, col)
        found = self.repeat(i, head, limit)
        if found is not None and not named and found[0] != 0:
            found = None
        if found is None:
            end = self.wrapped(i, head, limit) if kind == "text" else i + 1
            description = " ".join(" ".join([head, *self.lines[i + 1 : end]]).split())
            items.append(Item(kind, name, type_text, description, span, False, end))
            return end
        cut, k, m = found
        # The first copy keeps the page's line breaks and spacing; take it, without the name.
        first = head.lstrip()
        skip = 0
        while cut and skip < len(first):
            if not first[skip].isspace():
                cut -= 1
            skip += 1
        text = " ".join([first[skip:], *self.lines[i + 1 : i + 1 + k]])
        items.append(Item(kind, name, type_text, " ".join(text.split()), span, True, i + 1 + k + m))
        return i + 1 + k + m

    def wrapped(self, i: int, head: str, limit: int) -> int:
        """The line after a description printed once (a primitive field's) that the page wrapped:
        a line that ends mid-sentence goes on in the next one if that starts in lower case."""
        end, last = i + 1, head
        while end < limit and not last.rstrip().endswith((".", ":", "!", "?", ")")):
            line = self.lines[end]
            if not line[:1].islower() or self.field_line(line, end, limit) or _SECTION.match(line):
                break
            last = line
            end += 1
        return end

    def code_start(self) -> int | None:
        """The line where a Java code example begins (``package …``), if the page has one."""
        for i, line in enumerate(self.lines):
            if line.startswith("package ") and line.endswith(";"):
                # The example's title line (the page title again) comes right before it.
                return i - 1 if i and not self.lines[i - 1].endswith((".", ";")) else i
        return None


def _example(lines: list[str], start: int) -> tuple[str, int]:
    """The first JSON object after ``start``: the Java page glues its ``{`` to the code's ``}``."""
    for i in range(start, len(lines)):
        line = lines[i]
        if line.endswith("{") and (line == "{" or line.endswith("}{")):
            depth = 0
            out: list[str] = []
            for j in range(i, len(lines)):
                text = lines[j][len(lines[j]) - 1 :] if j == i else lines[j]
                if j > i and text.endswith(("}Returns Examples", "}Returns")):
                    text = "}"
                out.append(text)
                depth += text.count("{") + text.count("[") - text.count("}") - text.count("]")
                if depth == 0:
                    return "\n".join(out), i + 1
            return "", 0
    return "", 0


def read_items(file: str, text: str, java: bool) -> TextPage:
    """Split a scraped page into its items; every item keeps the line it starts on."""
    lines = text.split("\n")
    reader = _Reader(file, lines, java)
    items, limit = reader.read()
    title: list[str] = []
    while items and items[0].kind == "text" and not any(it.kind == "section" for it in items[:0]):
        if items[0].span.line > 3:
            break
        title.append(items.pop(0).description)
    code: tuple[str, ...] = ()
    code_line = 0
    if limit < len(lines):
        end = limit
        while end < len(lines) and not lines[end].startswith("}{") and lines[end] != "}{":
            end += 1
        code = tuple(lines[limit : end + 1])
        code_line = limit + 1
    example, example_line = _example(lines, limit)
    return TextPage(tuple(title), tuple(items), code, code_line, example, example_line)
