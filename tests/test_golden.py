"""Golden tree: generating from scratch reproduces the committed generated/ byte for byte, under any hash seed."""

from __future__ import annotations

import difflib
import json
from pathlib import Path

import pytest

from generator.write import MANIFEST
from tests.conftest import GENERATED, Sandbox


def tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not any(part.startswith((".mypy_cache", "__pycache__")) for part in p.parts)
    }


def committed_tree() -> dict[str, bytes]:
    """The generated files as committed: those the manifest lists, and the manifest."""
    listed = json.loads((GENERATED / MANIFEST).read_text())["files"]
    return {path: (GENERATED / path).read_bytes() for path in [*listed, MANIFEST]}


def assert_same_tree(expected: Path, actual: Path) -> None:
    want, got = committed_tree() if expected == GENERATED else tree(expected), tree(actual)
    assert sorted(got) == sorted(want), "file sets differ: " + repr(
        {"missing": sorted(set(want) - set(got)), "extra": sorted(set(got) - set(want))}
    )
    diffs = []
    for path in want:
        if want[path] != got[path]:
            diffs.extend(
                difflib.unified_diff(
                    want[path].decode().splitlines(True), got[path].decode().splitlines(True), f"a/{path}", f"b/{path}"
                )
            )
    assert not diffs, "generated tree differs from generated/ (run `make generate`):\n" + "".join(diffs[:400])


@pytest.mark.parametrize("hashseed", ["0", "1"])
def test_generation_from_scratch_matches_committed_tree(empty_sandbox: Sandbox, hashseed: str) -> None:
    result = empty_sandbox.run("generate", hashseed=hashseed)
    assert result.returncode == 0, result.stderr
    assert_same_tree(GENERATED, empty_sandbox.generated)


def test_second_generation_changes_nothing(sandbox: Sandbox) -> None:
    result = sandbox.run("generate")
    assert result.returncode == 0, result.stderr
    assert "0 written, 0 removed" in result.stdout
    assert_same_tree(GENERATED, sandbox.generated)
