"""Fuzzing the Python and Ruby flavours: their signature parsers and their pages, intact and collapsed.

Same contract as ``tests/test_fuzz.py`` (whose mutations and page check this reuses): every input either
builds or comes back with diagnostics, and a signature parser raises nothing but ``ExprError``. The
mutated pages are slices of the real collapsed pages (one and three endpoints) and random pages written
the way the docs write them (``tests/test_collapsed_roundtrip.py``), both indented and collapsed.
``FUZZ_EXAMPLES`` lifts the example counts as it does there.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from generator.flavours import python, ruby
from generator.flavours.expr import Signature
from generator.flavours.tokens import ExprError
from generator.read.collapsed import split_lines
from tests.conftest import FUZZ_CASES, SPECS
from tests.test_collapsed_roundtrip import Node, collapse, fields, page
from tests.test_fuzz import _settings, build_page, mutate, mutation


def collapsed_slice(path: Path, ranges: list[tuple[int, int]]) -> tuple[str, list[str]]:
    """The diff header of a collapsed page and the pieces (``-line``) of the recovered lines in ``ranges``,
    each with the space that joins it to the next, so that line mutations keep the collapsed layout."""
    raw = path.read_text(encoding="utf-8")
    lines, start = split_lines(raw)
    assert start > 0
    pieces = [("- " + ln.text) if ln.indented else ("-" + ln.text) for a, b in ranges for ln in lines[a:b]]
    return raw[:start], [p + " " for p in pieces[:-1]] + pieces[-1:]


def _find(path: Path, titles: list[str]) -> list[tuple[int, int]]:
    """Line ranges of the page title and of the ``## `` sections named ``titles`` (up to the next ``## ``)."""
    lines, _ = split_lines(path.read_text(encoding="utf-8"))
    heads = [i for i, ln in enumerate(lines) if not ln.indented and ln.text.startswith(("## ", "# "))]
    out = [(0, 2)]
    for title in titles:
        at = next(i for i in heads if lines[i].text == f"## {title}")
        out.append((at, next((h for h in heads if h > at), len(lines))))
    return out


PY_PAGE = SPECS / "python" / "conversations.items.collapsed.md"
RB_PAGE = SPECS / "ruby" / "conversations.collapsed.md"
SLICES = {
    "python-collapsed": collapsed_slice(PY_PAGE, _find(PY_PAGE, ["Delete an item"])),
    "ruby-collapsed": collapsed_slice(
        RB_PAGE, _find(RB_PAGE, ["Retrieve a conversation", "Update a conversation", "Delete a conversation"])
    ),
}


@pytest.fixture(scope="module")
def page_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz-flavours")


@pytest.mark.parametrize("flavour", sorted(SLICES))
def test_the_slices_build_cleanly(page_dir: Path, flavour: str) -> None:
    head, pieces = SLICES[flavour]
    ok, diagnostics = build_page((head + "".join(pieces)).encode(), page_dir, flavour)
    assert ok and not [d for d in diagnostics if d.code != "W120"], diagnostics


@_settings(default=40)
@given(st.sampled_from(sorted(SLICES)), st.lists(mutation, min_size=1, max_size=4))
@example("python-collapsed", [("duplicate", 90, 10)])  # a parameter listed twice: was a duplicate argument
@example("python-collapsed", [("delete", 3, 3), ("duplicate", 376888, 12)])  # bad JSON: was a line past the end
@example("python-collapsed", [("deep", 40, "array", 10_000)])
@example("ruby-collapsed", [("signature", 30, "x: " + "Array[" * 10_000 + "String" + "]" * 10_000)])
@example("python-collapsed", [("signature", 30, "x: " + "Optional[" * 10_000 + "str" + "]" * 10_000)])
@example("ruby-collapsed", [("huge", 20, 300_000)])
@example("python-collapsed", [("nul", 5, 3)])
@example("ruby-collapsed", [("duplicate", 0, 20), ("delete", 40, 7)])
def test_mutated_collapsed_slice_builds_or_reports(
    page_dir: Path, flavour: str, mutations: list[tuple[object, ...]]
) -> None:
    FUZZ_CASES["collapsed slice pages"] += 1
    head, pieces = SLICES[flavour]
    build_page(head.encode() + mutate(pieces, mutations), page_dir, flavour)


@st.composite
def random_pages(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A random page in the Python or Ruby flavour, as the doc site shows it or as a collapsed diff,
    already mutated; returns (flavour, lines)."""
    language = draw(st.sampled_from(["python", "ruby"]))
    root = Node("class Thing" + (": …" if language == "python" else ""), draw(fields(language, 0, "Thing")))
    lines = [ln + "\n" for ln in page(language, root)]
    if draw(st.booleans()):
        return language, lines
    # Mutate the collapsed pieces (one per original line), as the collapsed pages arrive.
    plain = [ln.rstrip("\n") for ln in lines]
    body = ["-" + ((" " + ln.lstrip()) if ln[:1] == " " else ln) for ln in plain]
    pieces = [collapse([])[: -len("0 +0,0 @@ ")] + f"{len(body)} +0,0 @@ "]
    pieces += [b + " " for b in body[:-1]] + body[-1:]
    assert "".join(pieces) == collapse(plain)
    return f"{language}-collapsed", pieces


@_settings(default=40)
@given(random_pages(), st.lists(mutation, max_size=3))
def test_mutated_random_page_builds_or_reports(
    page_dir: Path, drawn: tuple[str, list[str]], mutations: list[tuple[object, ...]]
) -> None:
    FUZZ_CASES["random flavour pages"] += 1
    flavour, lines = drawn
    build_page(mutate(lines, mutations), page_dir, flavour)


# -- signatures -------------------------------------------------------------------------------------------

_PY_TOKENS = [
    "Optional", "List", "Iterable", "Sequence", "Dict", "Mapping", "Union", "Literal", "[", "]", ",", ":",
    "str", "int", "float", "bool", "object", "null", "None", '"a"', '"b c"', "'q'", "3", "more", "class", "…",
    "Name", "Other_1", "x", "type", "True", "from_dict", "=", "|", "Any",
]  # fmt: skip
_RB_TOKENS = [
    "Array", "Hash", "[", "]", "Symbol", ",", "|", ":", "=", "{", "}", "String", "Integer", "Float", "bool",
    "untyped", "nil", "NilClass", ":sym", ':"64g"', ':"a b"', "Name{", "Name", "more", "2", "class", "x_", "y",
    "format_", "_", "true", "Other",
]  # fmt: skip


def _signatures(tokens: list[str]) -> st.SearchStrategy[str]:
    return st.one_of(st.lists(st.sampled_from(tokens), max_size=14).map(" ".join), st.text(max_size=30))


def _parses_or_expr_error(parse: Callable[[str], Signature], text: str) -> None:
    try:
        parse(text)
    except ExprError as exc:
        assert 0 <= exc.offset <= len(text), (exc.offset, len(text))


@_settings(default=600, long_run_scale=3)
@given(_signatures(_PY_TOKENS))
@example("x: " + "List[" * 10_000 + "str" + "]" * 10_000)
@example("x: " + "Optional[" * 10_000 + "str" + "]" * 10_000)
@example("x: " + "Union[str, " * 10_000 + "int" + "]" * 10_000)
@example("x: " + "Dict[str, " * 10_000 + "int" + "]" * 10_000)
@example("x: Literal[" + ", ".join(['"a"'] * 10_000) + "]")
@example("x: Union[" + "str, " * 10_000 + "null]")
def test_python_signature_raises_only_expr_error(text: str) -> None:
    FUZZ_CASES["python signatures"] += 1
    _parses_or_expr_error(python.parse_signature, text)


@_settings(default=600, long_run_scale=3)
@given(_signatures(_RB_TOKENS))
@example("x: " + "Array[" * 10_000 + "String" + "]" * 10_000)
@example("x: " + "Hash[Symbol, " * 10_000 + "String" + "]" * 10_000)
@example("x: " + " | ".join(["String"] * 10_000))
@example("x: " + "Name{ " * 10_000 + "a" + "}" * 10_000)
@example("Alias = " + "Array[" * 10_000 + "untyped" + "]" * 10_000)
def test_ruby_signature_raises_only_expr_error(text: str) -> None:
    FUZZ_CASES["ruby signatures"] += 1
    _parses_or_expr_error(ruby.parse_signature, text)
