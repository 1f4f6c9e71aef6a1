"""Read an indented markdown page (HTTP flavour layout) into endpoints and entry trees."""

from __future__ import annotations

import re
import textwrap

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markdown_it.tree import SyntaxTreeNode

from generator.diagnostics import Diagnostic, Level, Span
from generator.read.doc import CodeBlock, EndpointDoc, Entry, ExampleDoc, PageDoc, SectionDoc

__all__ = ["read_markdown"]

_CALL_LINE = re.compile(r"^`[\w.]+\(.*\)\s*->\s*[^`]+`$")
"""The SDK method line of Python and Ruby pages: ``conversations.items.list(...) -> Page[Item]``."""
_METHOD_LINE = re.compile(r"^\*\*(get|post|put|patch|delete)\*\*\s+`([^`]+)`\s*$")
# The default nesting limit (20 levels of tokens) cuts the docs off at list depth 10. Reading
# recurses about four frames per level, so 100 levels (lists 50 deep; the docs reach 12) keep
# well within Python's recursion limit; deeper input gets E107.
_PARSER = MarkdownIt("commonmark", {"maxNesting": 100})


def _line_of(node: SyntaxTreeNode) -> int:
    assert node.map is not None
    return node.map[0]


class _Reader:
    def __init__(self, file: str, text: str, flavour: str) -> None:
        self.file = file
        self.flavour = flavour
        self.lines = text.split("\n")  # as markdown-it counts them: U+2028 &c. are not breaks
        self.text = text
        self.diagnostics: list[Diagnostic] = []

    def span(self, line0: int, needle: str = "") -> Span:
        """A span for 0-based ``line0``; the column is where ``needle`` starts on that line."""
        line = self.lines[line0] if 0 <= line0 < len(self.lines) else ""
        col = line.find(needle) + 1 if needle and needle in line else len(line) - len(line.lstrip()) + 1
        return Span(self.file, line0 + 1, col)

    def error(self, code: str, message: str, line0: int, needle: str = "") -> None:
        src = self.lines[line0] if 0 <= line0 < len(self.lines) else ""
        self.diagnostics.append(Diagnostic(Level.ERROR, code, message, self.span(line0, needle), src))

    def source(self, node: SyntaxTreeNode) -> str:
        assert node.map is not None
        start, end = node.map
        return textwrap.dedent("\n".join(self.lines[start:end])).strip("\n")

    # -- entries ---------------------------------------------------------------------------

    def signature_of(self, item: SyntaxTreeNode) -> str | None:
        """The code span if the item's first block is exactly one code span, else None."""
        if not item.children or item.children[0].type != "paragraph":
            return None
        inline = item.children[0].children[0]
        parts = [c for c in inline.children if not (c.type == "text" and not c.content.strip())]
        if len(parts) == 1 and parts[0].type == "code_inline":
            return parts[0].content
        return None

    def entries(self, blist: SyntaxTreeNode) -> tuple[list[Entry], list[str]]:
        """Entries of a bullet list, plus the source of items that are plain prose bullets."""
        found: list[Entry] = []
        prose: list[str] = []
        for item in blist.children:
            sig = self.signature_of(item)
            if sig is None:
                prose.append(self.source(item))
                continue
            children: list[Entry] = []
            description: list[str] = []
            for block in item.children[1:]:
                if block.type == "bullet_list":
                    sub, sub_prose = self.entries(block)
                    children.extend(sub)
                    if sub_prose:
                        description.append("\n".join(sub_prose))
                else:
                    description.append(self.source(block))
            line0 = _line_of(item)
            found.append(Entry(sig, "\n\n".join(description), tuple(children), self.span(line0, "`")))
        return found, prose

    # -- page structure --------------------------------------------------------------------

    def read(self) -> PageDoc:
        tokens = _PARSER.parse(self.text)
        # Past maxNesting, markdown-it drops a block's content without a word; say so.
        cut = next((t for t in tokens if t.nesting == 1 and t.level >= _PARSER.options.maxNesting - 1), None)
        if cut is not None and cut.map is not None:
            self.error("E107", "lists or quotes nest too deeply here; what they contain is skipped", cut.map[0])
        for t in tokens:
            # Emphasis nests with no limit (maxNesting does not bound it) and the tree recurses per level;
            # the reader only looks for a lone code span among inline children, so flatten deep ones.
            if t.children and max(c.level for c in t.children) > 20:
                t.children = [Token("text", "", 0, content=t.content)]
        root = SyntaxTreeNode(tokens)
        endpoints: list[EndpointDoc] = []
        # Group the top-level blocks under their ## heading.
        groups: list[tuple[SyntaxTreeNode, list[SyntaxTreeNode]]] = []
        for block in root.children:
            if block.type == "heading" and block.tag == "h2":
                groups.append((block, []))
            elif groups:
                groups[-1][1].append(block)
            elif block.type == "heading" and block.tag == "h1":
                continue
            else:
                self.error("E101", "content before the first `## ` endpoint heading", _line_of(block))
        domain: list[SectionDoc] = []
        for heading, blocks in groups:
            if heading.children[0].content.strip() == "Domain Types":
                domain.extend(self.domain(blocks))
                continue
            endpoint = self.endpoint(heading, blocks)
            if endpoint is not None:
                endpoints.append(endpoint)
        if not groups and not self.diagnostics:
            self.error("E010", "the page has no endpoint (a `## Title` followed by `**method** `/path``)", 0)
        return PageDoc(self.file, self.flavour, tuple(endpoints), tuple(domain))

    def domain(self, blocks: list[SyntaxTreeNode]) -> list[SectionDoc]:
        """``## Domain Types``: a ``###`` section per type, each listing the type's entry."""
        out: list[SectionDoc] = []
        for block in blocks:
            if block.type == "heading" and block.tag == "h3":
                out.append(SectionDoc(block.children[0].content.strip(), (), self.span(_line_of(block))))
            elif block.type == "bullet_list" and out:
                found, _ = self.entries(block)
                last = out[-1]
                out[-1] = SectionDoc(last.title, last.entries + tuple(found), last.span)
        return out

    def endpoint(self, heading: SyntaxTreeNode, blocks: list[SyntaxTreeNode]) -> EndpointDoc | None:
        title = heading.children[0].content.strip()
        line0 = _line_of(heading)
        method = path = call = ""
        description: list[str] = []
        sections: list[SectionDoc] = []
        examples: list[ExampleDoc] = []
        current: str | None = None  # title of the open ### section
        current_line = line0
        entries: list[Entry] = []
        request: CodeBlock | None = None

        def close() -> None:
            if current is not None and current != "Example":
                sections.append(SectionDoc(current, tuple(entries), self.span(current_line)))

        for block in blocks:
            if block.type == "heading" and block.tag == "h3":
                close()
                current, current_line, entries = block.children[0].content.strip(), _line_of(block), []
                request = None
            elif block.type == "heading" and block.tag == "h4":
                continue
            elif current is None:
                text = self.source(block)
                m = _METHOD_LINE.match(text) if block.type == "paragraph" else None
                if m and not method:
                    method, path = m.group(1), m.group(2)
                elif _CALL_LINE.match(text) and not call and not method:
                    call = text.strip("`")
                else:
                    description.append(text)
            elif current == "Example":
                if block.type != "fence":
                    continue
                code = CodeBlock(block.info.strip(), block.content, self.span(_line_of(block) + 1))
                if code.lang == "json":
                    examples.append(ExampleDoc(request, code))
                    request = None
                else:
                    request = code
            elif block.type == "bullet_list":
                found, _ = self.entries(block)
                entries.extend(found)
        close()
        if not method:
            self.error("E102", f"endpoint {title!r} has no `**method** `/path`` line", line0, title)
            return None
        return EndpointDoc(
            title, method, path, "\n\n".join(description), tuple(sections), tuple(examples), self.span(line0), call
        )


def read_markdown(file: str, text: str, flavour: str) -> tuple[PageDoc, list[Diagnostic]]:
    """Read an indented markdown docs page; problems come back as diagnostics."""
    reader = _Reader(file, text, flavour)
    page = reader.read()
    return page, reader.diagnostics
