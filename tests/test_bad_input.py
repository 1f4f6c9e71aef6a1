"""Malformed docs get diagnostics (code, file:line:col, message, the line and a caret), never a crash."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.snapshot import BAD, bad_input_diagnostics

PAGES = sorted(BAD.glob("*.md"))


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_diagnostics_match_snapshot(page: Path) -> None:
    got = bad_input_diagnostics(page)
    assert got == page.with_suffix(".expected").read_text()
    first = got.splitlines()[0]
    # An undefined reference is a warning (its values stay plain JSON); everything else is an error.
    assert first.startswith(f"{page.name}:") and (": error[E" in first or ": warning[W120]" in first), first


def test_corpus_is_not_empty() -> None:
    assert len(PAGES) >= 10
