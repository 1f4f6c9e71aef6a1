"""Write the IR snapshot (``make snapshots``): the type graph of specs/ as sorted JSON."""

from __future__ import annotations

from pathlib import Path

from generator.config import load_config
from generator.diagnostics import format_diagnostic, has_errors
from generator.export import ir_to_json
from generator.pipeline import build_api

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOT = ROOT / "tests" / "snapshots" / "ir.json"


def current_ir_json() -> str:
    config, diagnostics = load_config(ROOT / "specs" / "specs.toml", ROOT)
    assert config is not None, [format_diagnostic(d) for d in diagnostics]
    api, found = build_api(config)
    assert api is not None and not has_errors(found), [format_diagnostic(d) for d in found]
    return ir_to_json(api)


if __name__ == "__main__":
    SNAPSHOT.write_text(current_ir_json())
    print(f"wrote {SNAPSHOT.relative_to(ROOT)}")
