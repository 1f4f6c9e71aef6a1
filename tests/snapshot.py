"""Write the IR snapshot (``make snapshots``): the type graph of specs/ as sorted JSON."""

from __future__ import annotations

import functools
from pathlib import Path

from generator import ir
from generator.config import Config, PageSpec, load_config
from generator.diagnostics import format_diagnostic, has_errors
from generator.export import ir_to_json
from generator.pipeline import build_api

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOT = ROOT / "tests" / "snapshots" / "ir.json"


@functools.cache
def current_api() -> ir.Api:
    """The type graph of specs/ (built once per test session: the collapsed pages take a while)."""
    config, diagnostics = load_config(ROOT / "specs" / "specs.toml", ROOT)
    assert config is not None, [format_diagnostic(d) for d in diagnostics]
    api, found = build_api(config)
    assert api is not None and not has_errors(found), [format_diagnostic(d) for d in found]
    return api


def current_ir_json() -> str:
    return ir_to_json(current_api())


BAD = ROOT / "tests" / "bad"
"""Malformed pages: HTTP pages at the top, other flavours in a folder named after the flavour."""


def bad_pages() -> list[Path]:
    return sorted(BAD.rglob("*.md"))


def bad_input_diagnostics(page: Path) -> str:
    """The diagnostics a malformed page gets, one per line, with paths relative to tests/bad."""
    flavour = "http" if page.parent == BAD else page.parent.name
    shown = page.relative_to(BAD).as_posix()
    config = Config(BAD / "specs.toml", "openai_api", BAD / "out", (PageSpec(page, shown, flavour, True),))
    _, found = build_api(config)
    return "".join(format_diagnostic(d) + "\n" for d in found)


if __name__ == "__main__":
    SNAPSHOT.write_text(current_ir_json())
    print(f"wrote {SNAPSHOT.relative_to(ROOT)}")
    for page in bad_pages():
        page.with_suffix(".expected").write_text(bad_input_diagnostics(page))
    print(f"wrote {len(bad_pages())} bad-input snapshots")
