"""Read a docs page that reached us as a collapsed git diff: recover its lines, sections and entries."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from generator.diagnostics import Diagnostic, Level, Span
from generator.flavours.expr import Signature
from generator.read.doc import CodeBlock, EndpointDoc, ExampleDoc, PageDoc, SectionDoc
from generator.read.nesting import FlatItem, agreed, rebuild

__all__ = ["Line", "read_collapsed", "split_lines"]

_HUNK = re.compile(r"@@ -\d+(?:,\d+)? \+\d+(?:,\d+)? @@ ?")
_SPAN_ONLY = re.compile(r"^- `[^`]*`\Z")
_DESC_BULLET = re.compile(r"^- `[^`]*`: ")
_METHOD = re.compile(r"^\*\*(get|post|put|patch|delete)\*\*\s+`([^`]+)`\s*$")
_CALL = re.compile(r"^`([\w.]+)\((.*)\)\s*->\s*(.+)`$")


@dataclass(frozen=True, slots=True)
class Line:
    """One recovered line of the original page."""

    text: str
    """The content, without the diff's ``-`` mark and with its (collapsed) indentation removed."""
    indented: bool
    """The original line was indented (its depth is lost)."""
    offset: int
    """Where the content starts in the collapsed file."""

    @property
    def blank(self) -> bool:
        return not self.text


def split_lines(raw: str) -> tuple[list[Line], int]:
    """The page's lines, and where the diff body starts (or -1 when the file is no collapsed diff).

    Every original line is ``-`` + content, lines joined by one space and indentation collapsed
    to one space; so ``- - `x``` is an indented list item and a naive split on `` -`` breaks it.
    """
    m = _HUNK.search(raw)
    if m is None:
        return [], -1
    start = m.end()
    pieces: list[tuple[str, int]] = []
    pos = start
    # The diff is one line; the line break an editor or a download adds at the end belongs to no line.
    for part in re.split(r" (?=-)", raw[start:].rstrip("\r\n")):
        pieces.append((part, pos))
        pos += len(part) + 1
    merged: list[tuple[str, int]] = []
    i = 0
    while i < len(pieces):
        text, off = pieces[i]
        nxt = pieces[i + 1][0] if i + 1 < len(pieces) else ""
        prev = merged[-1][0] if merged else ""
        if text.startswith("->") and merged:
            # ` -> Ret` inside an SDK signature line.
            merged[-1] = (f"{prev} {text}", merged[-1][1])
            i += 1
            continue
        if (
            text == "-"
            and nxt.startswith("- ")
            and (
                _SPAN_ONLY.match(nxt)  # a nested entry
                or _DESC_BULLET.match(nxt)  # a bullet `value`: description
                or prev == "-"  # never two blank lines in a row
                or (prev.startswith("- - ") and not _SPAN_ONLY.match(prev[2:]))  # a bullet right after a bullet
            )
        ):
            merged.append((f"- {nxt}", off))
            i += 2
            continue
        merged.append((text, off))
        i += 1
    lines = []
    for text, off in merged:
        if text == "-":
            lines.append(Line("", False, off))
        elif text.startswith("- "):
            lines.append(Line(text[2:], True, off + 2))
        else:
            lines.append(Line(text[1:], False, off + 1))
    return lines, start


def _is_item(line: Line) -> bool:
    return line.text.startswith("- `") and _SPAN_ONLY.match(line.text) is not None


class _Reader:
    def __init__(self, file: str, raw: str, flavour: str, parse: Callable[[str], Signature]) -> None:
        self.file = file
        self.raw = raw
        self.flavour = flavour
        self.parse = parse
        self.known: dict[str, tuple[str, ...]] = {}
        self.learned: dict[str, set[tuple[str, ...]]] = {}
        self.single_line = "\n" not in raw
        self.diagnostics: list[Diagnostic] = []

    def span(self, offset: int) -> Span:
        if self.single_line:  # a collapsed diff is one line: skip counting line breaks
            return Span(self.file, 1, offset + 1)
        line = self.raw.count("\n", 0, offset) + 1
        col = offset - (self.raw.rfind("\n", 0, offset) + 1) + 1
        return Span(self.file, line, col)

    def error(self, code: str, message: str, offset: int) -> None:
        span = self.span(offset)
        start = self.raw.rfind("\n", 0, offset) + 1
        end = self.raw.find("\n", offset)
        source = self.raw[start : end if end >= 0 else len(self.raw)]
        self.diagnostics.append(Diagnostic(Level.ERROR, code, message, span, source))

    def read(self) -> PageDoc:
        lines, start = split_lines(self.raw)
        if start < 0:
            self.error("E011", "not a collapsed diff: no `@@ -a,b +c,d @@` hunk header", 0)
            return PageDoc(self.file, self.flavour, ())
        endpoints: list[EndpointDoc] = []
        domain: list[SectionDoc] = []
        group: list[Line] = []
        heading: Line | None = None
        in_domain = False
        in_fence = False
        for line in lines:
            if line.text.startswith("```"):
                in_fence = not in_fence
            if not in_fence and not line.indented and re.match(r"^#{1,2} ", line.text):
                self.flush(heading, group, endpoints, domain, in_domain)
                title = line.text.lstrip("#").strip()
                if line.text.startswith("# "):
                    in_domain = False
                    heading, group = None, []
                    continue
                in_domain = title == "Domain Types"
                heading, group = line, []
                continue
            group.append(line)
        self.flush(heading, group, endpoints, domain, in_domain)
        if not endpoints and not domain:
            self.error("E010", "the page has no endpoint (a `## Title` followed by `**method** `/path``)", start)
        return PageDoc(self.file, self.flavour, tuple(endpoints), tuple(domain))

    def flush(
        self,
        heading: Line | None,
        group: list[Line],
        endpoints: list[EndpointDoc],
        domain: list[SectionDoc],
        in_domain: bool,
    ) -> None:
        if heading is None:
            return
        sections = self.sections(group)
        if in_domain:
            domain.extend(s for s, _ in sections)
            return
        method = path = call = ""
        description: list[str] = []
        for ln in group:
            if ln.text.startswith("### "):
                break
            if m := _METHOD.match(ln.text):
                method, path = m.group(1), m.group(2)
            elif _CALL.match(ln.text) and not call:
                call = ln.text.strip("`")
            elif not ln.blank or description:
                description.append(ln.text)
        if not method:
            self.error(
                "E102",
                f"endpoint {heading.text.lstrip('#').strip()!r} has no `**method** `/path`` line",
                heading.offset,
            )
            return
        examples: list[ExampleDoc] = []
        for _, ex in sections:
            examples.extend(ex)
        endpoints.append(
            EndpointDoc(
                heading.text.lstrip("#").strip(),
                method,
                path,
                "\n".join(description).strip(),
                tuple(s for s, _ in sections if s.entries),
                tuple(examples),
                self.span(heading.offset),
                call,
            )
        )

    def sections(self, group: list[Line]) -> list[tuple[SectionDoc, list[ExampleDoc]]]:
        out: list[tuple[SectionDoc, list[ExampleDoc]]] = []
        title: Line | None = None
        body: list[Line] = []
        for ln in [*group, Line("### (end)", False, -1)]:
            if ln.text.startswith("### ") and not ln.indented:
                if title is not None:
                    out.append(self.section(title, body))
                title, body = ln, []
            elif title is not None:
                body.append(ln)
        return out

    def section(self, title: Line, body: list[Line]) -> tuple[SectionDoc, list[ExampleDoc]]:
        name = title.text[4:].strip()
        examples: list[ExampleDoc] = []
        items: list[FlatItem] = []
        request: CodeBlock | None = None
        fence: list[Line] | None = None
        fence_lang = ""
        description: list[str] = []
        for ln in body:
            if fence is not None:
                if ln.text.startswith("```"):
                    block = CodeBlock(
                        fence_lang,
                        "\n".join(x.text for x in fence) + "\n",
                        self.span(fence[0].offset if fence else ln.offset),
                        tuple(self.span(x.offset) for x in fence) or (self.span(ln.offset),),
                    )
                    if fence_lang == "json":
                        examples.append(ExampleDoc(request, block))
                        request = None
                    elif items:
                        description.extend(["```" + fence_lang, *(x.text for x in fence), "```"])
                    else:
                        request = block
                    fence = None
                else:
                    fence.append(ln)
                continue
            if ln.text.startswith("```"):
                fence, fence_lang = [], ln.text[3:].strip()
                continue
            if _is_item(ln) and not name.startswith("Example"):
                if items:
                    items[-1] = items[-1].with_description("\n".join(description).strip())
                description = []
                sig_text = ln.text[3:-1]
                items.append(FlatItem(sig_text, "", not ln.indented, self.span(ln.offset + 2), None))
                try:
                    items[-1] = items[-1].with_signature(self.parse(sig_text))
                except Exception as exc:
                    offset = getattr(exc, "offset", None)
                    if offset is None:
                        raise
                    self.error("E103", f"cannot parse `{sig_text}`: {exc}", ln.offset + 3 + offset)
                continue
            if items:
                description.append(ln.text)
        if items:
            items[-1] = items[-1].with_description("\n".join(description).strip())
        entries, found, learned = rebuild(items, self.flavour, self.known)
        self.diagnostics.extend(found)
        for key, forms in learned.items():
            self.learned.setdefault(key, set()).update(forms)
        return SectionDoc(name, tuple(entries), self.span(max(title.offset, 0))), examples


def read_collapsed(
    file: str,
    text: str,
    flavour: str,
    parse: Callable[[str], Signature],
    known: Mapping[str, tuple[str, ...]] | None = None,
) -> tuple[PageDoc, list[Diagnostic]]:
    """Read a page received as a collapsed diff; ``parse`` reads the flavour's signatures.

    ``known`` gives what named types and classes expand to on intact pages (``nesting.expansions``):
    the nesting search prefers trees that agree with it.
    """
    reader = _Reader(file, text, flavour, parse)
    reader.known = dict(known or {})
    page = reader.read()
    # Python class names are unique on a page, so a body one section settles without doubt
    # constrains every other section that expands the class (Ruby reuses titles for other shapes).
    learned = agreed(reader.learned, reader.known) if flavour.startswith("python") else {}
    if learned:
        again = _Reader(file, text, flavour, parse)
        again.known = {**reader.known, **learned}
        second = again.read()
        if not any(d.level is Level.ERROR for d in again.diagnostics):
            return second, again.diagnostics
    return page, reader.diagnostics
