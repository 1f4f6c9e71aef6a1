"""The type graph of specs/ matches its reviewed JSON snapshot (`make snapshots` rewrites it)."""

from __future__ import annotations

import difflib

from tests.snapshot import SNAPSHOT, current_ir_json


def test_ir_matches_snapshot() -> None:
    want = SNAPSHOT.read_text()
    got = current_ir_json()
    diff = "".join(difflib.unified_diff(want.splitlines(True), got.splitlines(True), "snapshot", "current", n=2))
    assert got == want, "the IR changed; review and run `make snapshots`:\n" + diff[:20000]
