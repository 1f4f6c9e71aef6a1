"""Fuzzing: mutated copies of the real HTTP page either build or get diagnostics; nothing ever raises.

The in-suite run is short. ``make fuzz`` (or ``FUZZ_EXAMPLES=100000 pytest tests/test_fuzz.py``) runs
every property with that many examples (the whole-page property with a twentieth of them). Any input
that made the generator crash belongs in ``tests/bad/`` with its diagnostics snapshot.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from generator.config import Config, PageSpec
from generator.diagnostics import Diagnostic, format_diagnostic, has_errors
from generator.flavours.http import ExprError, parse_signature
from generator.pipeline import build_api
from generator.render import render
from tests.conftest import FUZZ_CASES, SPECS

FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "0") or 0)
"""0: the short in-suite run; otherwise the number of examples per property."""

PAGE = SPECS / "http" / "responses.compact.md"
FULL = PAGE.read_text(encoding="utf-8").splitlines(keepends=True)


def _slice() -> list[str]:
    """About 400 lines of the page that still build cleanly: the endpoint, the `model` parameter and the
    last five body parameters, the response's first three fields and `usage`, and the examples."""
    lines = FULL[:204] + FULL[3774:3825] + FULL[7356:]
    text = "".join(lines).replace(
        "CompactedResponse object { id, created_at, object, 2 more }",
        "CompactedResponse object { id, created_at, object, 1 more }",
    )
    return text.splitlines(keepends=True)


SLICE = _slice()


def _settings(default: int, long_run_share: int = 1, long_run_scale: int = 1) -> settings:
    """``default`` examples in the suite; ``FUZZ_EXAMPLES * long_run_scale // long_run_share`` in a long run."""
    count = FUZZ_EXAMPLES * long_run_scale // long_run_share if FUZZ_EXAMPLES else default
    return settings(
        max_examples=max(1, count),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
        print_blob=True,
        # The suite draws the same cases on every run (a red CI must be reproducible); `make fuzz`
        # draws new ones.
        derandomize=not FUZZ_EXAMPLES,
    )


# -- the property ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def page_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def build_page(data: bytes, where: Path, flavour: str = "http") -> tuple[bool, list[Diagnostic]]:
    """Build one page of ``flavour`` from ``data``: it must either build or come back with errors, and never
    raise. A clean build is also rendered. Returns (built cleanly, diagnostics).
    """
    page = where / "page.md"
    page.write_bytes(data)
    config = Config(where / "specs.toml", "openai_api", where / "out", (PageSpec(page, "page.md", flavour, True),))
    with _no_page_cache():
        api, diagnostics = build_api(config)
    # Lines as an editor (and markdown-it) counts them: diagnostics must point into the page, and the
    # line they quote must be the line they name.
    lines = re.split(r"\r\n?|\n", data.decode("utf-8", "replace"))
    for d in diagnostics:
        assert d.span.line >= 1 and d.span.col >= 1, d
        assert d.span.file in ("page.md", "specs.toml"), d
        if d.span.file == "page.md":
            assert d.span.line <= len(lines), (d, len(lines))
            assert d.source_line in ("", lines[d.span.line - 1]), d
        assert format_diagnostic(d)
    if api is None:
        assert has_errors(diagnostics)
        return False, diagnostics
    if has_errors(diagnostics):
        return False, diagnostics
    files = render(api)
    assert files
    for path, text in files.items():
        if path.endswith(".py"):
            compile(text, path, "exec")  # black would refuse anything that is not Python
    return True, diagnostics


@contextlib.contextmanager
def _no_page_cache() -> Iterator[None]:
    """Collapsed pages are cached per user once read; fuzzed pages would only fill that cache."""
    before = os.environ.get("DOCGEN_CACHE_DIR")
    os.environ["DOCGEN_CACHE_DIR"] = "off"
    try:
        yield
    finally:
        if before is None:
            del os.environ["DOCGEN_CACHE_DIR"]
        else:
            os.environ["DOCGEN_CACHE_DIR"] = before


# -- mutations of the page ------------------------------------------------------------------------------------

# Type-expression tokens, so that random signatures get past the tokenizer most of the time.
_TOKENS = [
    "array", "of", "or", "map", "[", "]", "object", "{", "}", ",", "more", "optional", ":", "=",
    "string", "number", "integer", "boolean", "unknown", "null", "true", "false", "3", "0",
    '"a"', '"b c"', '"\\""', "Name", "Other", "ResponseUsage", "x", "type", "class", "from_dict", "a.b", "_",
    "True", "None", "Any", "Literal", "str", "self", "Client", "Foo_", "X1",
]  # fmt: skip
token_exprs = st.lists(st.sampled_from(_TOKENS), max_size=14).map(" ".join)
signatures = st.one_of(token_exprs, st.text(max_size=30))


def _deep(kind: str, depth: int) -> str:
    match kind:
        case "inline-list":  # one line, `depth` nested lists
            return "- " * depth + "`x: string`\n"
        case "indented-list":  # one entry per line, each nested in the previous one
            return "".join("  " * i + f"- `f{i}: object {{ f{i + 1} }}`\n\n" for i in range(depth))
        case "quote":
            return ">" * depth + " - `x: string`\n"
        case "quoted-list":
            return "> - " * depth + "`x: string`\n"
        case "array":
            return "- `x: " + "array of " * depth + "string`\n"
        case "map":
            return "- `x: " + "map[" * depth + "string" + "]" * depth + "`\n"
        case "union":
            return "- `x: " + " or ".join(["string"] * depth) + "`\n"
        case "brackets":
            return "[" * depth + "x" + "]" * depth + "(y)\n"
        case "emphasis":  # markdown-it's maxNesting does not bound emphasis
            return "**a " * depth + "x" + " a**" * depth + "\n"
        case "emphasis-links":
            return "*a [" * depth + "x" + "](y) a*" * depth + "\n"
        case _:
            return "<div>" * depth + "\n"


_DEEP_KINDS = [
    "inline-list",
    "indented-list",
    "quote",
    "quoted-list",
    "array",
    "map",
    "union",
    "brackets",
    "emphasis",
    "emphasis-links",
    "html",
]

index = st.integers(0, 10**6)  # taken modulo the current number of lines

mutation = st.one_of(
    st.tuples(st.just("truncate"), index, st.integers(0, 200)),
    st.tuples(st.just("delete"), index, st.integers(1, 20)),
    st.tuples(st.just("duplicate"), index, st.integers(1, 20)),
    st.tuples(st.just("swap"), index, index),
    st.tuples(st.just("backtick"), index, st.sampled_from(["drop-first", "drop-last", "add", "double", "all"]), index),
    st.tuples(st.just("indent"), index, st.sampled_from(["copy", "more", "less", "tab", "none", "odd"]), index),
    st.tuples(st.just("unicode"), index, index, st.text(min_size=1, max_size=8)),
    st.tuples(st.just("bytes"), index, index, st.binary(min_size=1, max_size=4)),
    st.tuples(st.just("nul"), index, index),
    st.tuples(st.just("newlines"), st.sampled_from(["\r\n", "\r", "\n\n", "\u2028", "\x0c"]), st.integers(1, 4), index),
    st.tuples(st.just("huge"), index, st.integers(10_000, 400_000)),
    st.tuples(st.just("deep"), index, st.sampled_from(_DEEP_KINDS), st.integers(1, 10_000)),
    st.tuples(st.just("signature"), index, signatures),
    st.tuples(st.just("heading"), index, st.integers(1, 7), st.text(max_size=10)),
)


def _at(line: str, pos: int) -> int:
    return pos % (len(line) + 1)


def apply_mutation(lines: list[str], m: tuple[object, ...]) -> list[str]:
    """One edit of the page, on lines that keep their line endings (the last may have none)."""
    if not lines:
        lines = [""]
    n = len(lines)
    op = m[0]
    match m:
        case ("truncate", int(i), int(cut)):
            i %= n
            return lines[:i] + [lines[i][:cut]]
        case ("delete", int(i), int(k)):
            i %= n
            return lines[:i] + lines[i + k :]
        case ("duplicate", int(i), int(k)):
            i %= n
            return lines[: i + k] + lines[i : i + k] + lines[i + k :]
        case ("swap", int(i), int(j)):
            out = list(lines)
            out[i % n], out[j % n] = out[j % n], out[i % n]
            return out
        case ("backtick", int(i), str(how), int(pos)):
            i %= n
            line = lines[i]
            if how == "drop-first":
                line = line.replace("`", "", 1)
            elif how == "drop-last":
                k = line.rfind("`")
                line = line[:k] + line[k + 1 :] if k >= 0 else line
            elif how == "add":
                k = _at(line, pos)
                line = line[:k] + "`" + line[k:]
            elif how == "double":
                line = line.replace("`", "``")
            else:
                line = line.replace("`", "")
            return lines[:i] + [line] + lines[i + 1 :]
        case ("indent", int(i), str(how), int(j)):
            i %= n
            body = lines[i].lstrip(" \t")
            indent = lines[i][: len(lines[i]) - len(body)]
            other = lines[j % n]
            new = {
                "copy": other[: len(other) - len(other.lstrip(" \t"))],
                "more": indent + "  ",
                "less": indent[2:],
                "tab": indent.replace("  ", "\t"),
                "none": "",
                "odd": indent + " ",
            }[how]
            return lines[:i] + [new + body] + lines[i + 1 :]
        case ("unicode" | "bytes" | "nul", int(i), int(pos), *rest):
            i %= n
            line = lines[i]
            k = _at(line, pos)
            if op == "unicode":
                inject = rest[0]
            elif op == "nul":
                inject = "\0"
            else:  # raw bytes, carried through the text as surrogates and written back as they are
                assert isinstance(rest[0], bytes)
                inject = rest[0].decode("utf-8", "surrogateescape")
            assert isinstance(inject, str)
            return lines[:i] + [line[:k] + inject + line[k:]] + lines[i + 1 :]
        case ("newlines", str(ending), int(every), int(start)):
            out = list(lines)
            for k in range(start % n, n, every):
                if out[k].endswith("\n"):
                    out[k] = out[k][:-1] + ending
            return out
        case ("huge", int(i), int(size)):
            i %= n
            line = lines[i].rstrip("\n") or "x"
            body = (line * (size // len(line) + 1))[:size]
            return lines[:i] + [body + "\n"] + lines[i + 1 :]
        case ("deep", int(i), str(kind), int(depth)):
            i %= n
            if kind == "indented-list":
                depth = min(depth, 1500)  # quadratic in size: 1500 levels are 2.2 MB already
            block = _deep(kind, depth)
            indent = lines[i][: len(lines[i]) - len(lines[i].lstrip(" "))]
            return lines[:i] + [indent + b + "\n" for b in block.split("\n") if b] + lines[i:]
        case ("signature", int(i), str(sig)):
            # Replace the code span of the i-th line that has one (searching forward).
            for k in [*range(i % n, n), *range(i % n)]:
                a = lines[k].find("`")
                b = lines[k].find("`", a + 1)
                if a >= 0 and b > a:
                    return lines[:k] + [lines[k][: a + 1] + sig + lines[k][b:]] + lines[k + 1 :]
            return lines
        case ("heading", int(i), int(level), str(title)):
            i %= n
            return lines[:i] + ["#" * level + " " + title + "\n", "\n"] + lines[i:]
    raise AssertionError(f"unknown mutation {m!r}")


def mutate(base: list[str], mutations: list[tuple[object, ...]]) -> bytes:
    lines = list(base)
    for m in mutations:
        lines = apply_mutation(lines, m)
    return "".join(lines).encode("utf-8", "surrogateescape")


# -- properties -----------------------------------------------------------------------------------------------


def test_the_slice_builds_cleanly(page_dir: Path) -> None:
    """The base of the mutations is itself a clean page, so mutations explore both outcomes."""
    ok, diagnostics = build_page("".join(SLICE).encode(), page_dir)
    assert ok and not diagnostics, [format_diagnostic(d) for d in diagnostics]


@_settings(default=150)
@given(st.lists(mutation, min_size=1, max_size=4))
@example([("deep", 300, "indented-list", 1000)])
@example([("deep", 210, "array", 10_000)])
@example([("deep", 210, "map", 10_000)])
@example([("deep", 12, "inline-list", 10_000)])
@example([("deep", 12, "quoted-list", 10_000)])
@example([("deep", 14, "emphasis", 3000)])
@example([("huge", 3641, 23811)])  # a JSON example nested thousands deep
@example([("signature", 255, "usage: True")])  # a keyword as a type name
@example([("newlines", "\r\n", 1, 0)])
@example([("newlines", "\u2028", 3, 0)])
@example([("bytes", 5, 3, b"\xff")])
def test_mutated_slice_builds_or_reports(page_dir: Path, mutations: list[tuple[object, ...]]) -> None:
    FUZZ_CASES["http slice pages"] += 1
    build_page(mutate(SLICE, mutations), page_dir)


@_settings(default=12, long_run_share=20)
@given(st.lists(mutation, min_size=1, max_size=3))
@example([("truncate", 1330, 0)])  # both members of a union undefined: one `object` is left, not a 1-member union
def test_mutated_page_builds_or_reports(page_dir: Path, mutations: list[tuple[object, ...]]) -> None:
    FUZZ_CASES["http whole pages"] += 1
    build_page(mutate(FULL, mutations), page_dir)


@_settings(default=1500, long_run_scale=3)
@given(signatures)
@example("x: " + "array of " * 10_000 + "string")
@example("x: " + "map[" * 10_000 + "string" + "]" * 10_000)
@example("x: " + "object { a } or " * 10_000 + "string")
def test_parse_signature_raises_only_expr_error(text: str) -> None:
    FUZZ_CASES["http signatures"] += 1
    try:
        parse_signature(text)
    except ExprError as exc:
        assert 0 <= exc.offset <= len(text), (exc.offset, len(text))


def test_atheris_harness_runs_its_seeds() -> None:
    """The coverage-guided harness (``make fuzz-atheris``) stays in step with this file, atheris or not."""
    from tests import fuzz_atheris

    for seed in fuzz_atheris.seeds():
        fuzz_atheris.one_input(seed)


# What the atheris harness found (crash-09fc69e5): an item split across lines left `object { id, owner }`
# with no name as the Returns entry, and the unnamed root type got the name '' (a ValueError in the IR).
ATHERIS_CRASH = (
    b"## Get a thing\n\n**get** `/thingsthing_id}`\n\nGets a thing.\n\n### integerrameters\n\n- `thing_id: string`\n\n"
    b"### Returns\n\n- `Thing\n- ` object { id, owner }`\n\n  - `id: string`\n\n  - `owner:r: Person`\n"
)


def test_an_unnamed_returned_object_is_named_after_the_endpoint(page_dir: Path) -> None:
    ok, diagnostics = build_page(ATHERIS_CRASH, page_dir)  # it raised ValueError
    assert not ok and [d.code for d in diagnostics] == ["E103", "W101"], [format_diagnostic(d) for d in diagnostics]
    page = b"## List things\n\n**get** `/things`\n\nLists things.\n\n### Returns\n\n- `object { id }`\n\n  - `id: string`\n"
    assert build_page(page, page_dir) == (True, [])
    config = Config(
        page_dir / "specs.toml",
        "openai_api",
        page_dir / "out",
        (PageSpec(page_dir / "page.md", "page.md", "http", True),),
    )
    api, _ = build_api(config)
    assert api is not None
    assert [d.name for m in api.modules for d in m.definitions] == ["ThingListResponse"]
