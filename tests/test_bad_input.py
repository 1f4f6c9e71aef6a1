"""Malformed docs get diagnostics (code, file:line:col, message, the line and a caret), never a crash."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.snapshot import BAD, bad_input_diagnostics, bad_pages

PAGES = bad_pages()


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(BAD).with_suffix("").as_posix())
def test_diagnostics_match_snapshot(page: Path) -> None:
    got = bad_input_diagnostics(page)
    assert got == page.with_suffix(".expected").read_text()
    # An undefined reference is a warning (its values stay plain JSON); everything else is an error.
    headlines = [
        line for line in got.splitlines() if line.startswith((f"{page.relative_to(BAD).as_posix()}:", "specs.toml:"))
    ]
    assert any(": error[E" in line or ": warning[W120]" in line for line in headlines), got


def test_corpus_covers_every_flavour() -> None:
    flavours = {p.parent.name if p.parent != BAD else "http" for p in PAGES}
    assert len(PAGES) >= 30 and flavours == {"http", "python", "ruby", "python-collapsed", "ruby-collapsed"}, flavours
