"""Determinism: the generated tree does not depend on the hash seed or on the order of the manifest.

Each run starts from the committed tree as this checkout regenerates it (so only what an edit touches
is formatted again) with the same spec edits, which make every run render, format and write something.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, Sandbox, sandbox_from
from tests.test_interrupt import tree

PAGE = "http/responses.compact.md"


def edited_sandbox(root: Path, generated: Path) -> Sandbox:
    sandbox = sandbox_from(root, generated)
    sandbox.edit(PAGE, "The total number of tokens used.", "All tokens, summed.", count=99)
    sandbox.edit(PAGE, "The ID of the file.", "The file's ID.", count=99)
    return sandbox


def generate(sandbox: Sandbox, hashseed: str) -> dict[str, bytes]:
    result = sandbox.run("generate", hashseed=hashseed)
    assert result.returncode == 0, result.stderr
    assert re.search(r"docgen: [1-9]\d* written", result.stdout), result.stdout  # the edit was written
    return tree(sandbox.generated)


def shuffled_manifest(text: str) -> str:
    """The same manifest with its pages in reverse order and the `[output]` table last."""
    head, *blocks = re.split(r"(?m)^(?=\[\[page\]\]|\[output\])", text)
    output = [b for b in blocks if b.startswith("[output]")]
    pages = [b for b in blocks if b.startswith("[[page]]")]
    assert len(output) == 1 and len(pages) >= 2, blocks
    return head + "".join(b.rstrip("\n") + "\n\n" for b in [*reversed(pages), *output])


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory, regenerated: Path) -> dict[str, bytes]:
    return generate(edited_sandbox(tmp_path_factory.mktemp("seed0"), regenerated), "0")


@pytest.mark.parametrize("hashseed", ["1", "2", "4294967295"])
def test_hash_seed_does_not_change_the_output(
    reference: dict[str, bytes], regenerated: Path, tmp_path: Path, hashseed: str
) -> None:
    assert generate(edited_sandbox(tmp_path, regenerated), hashseed) == reference


def test_page_order_in_the_manifest_does_not_change_the_output(
    reference: dict[str, bytes], regenerated: Path, tmp_path: Path
) -> None:
    sandbox = edited_sandbox(tmp_path, regenerated)
    manifest = sandbox.specs / "specs.toml"
    original = manifest.read_text()
    manifest.write_text(shuffled_manifest(original))
    assert manifest.read_text() != original
    assert generate(sandbox, "3") == reference


PAGE_CACHE_KEYS = """
import hashlib, sys
from pathlib import Path

import generator.page_cache as page_cache
from generator.config import load_config
from generator.pipeline import read_pages

real = page_cache.cached


def recording(parts, compute):
    print(parts["display"], hashlib.sha256(repr(sorted(parts.items())).encode()).hexdigest())
    return real(parts, compute)


page_cache.cached = recording
root = Path(sys.argv[1])
config, _ = load_config(root / "specs" / "specs.toml", root)
read_pages(config)
"""


def test_page_cache_keys_do_not_depend_on_the_hash_seed() -> None:
    """A collapsed page is stored under what the intact pages tell about its types: the same under any
    hash seed, or every run (each with a new seed) would rebuild the collapsed pages' nesting."""
    keys = []
    for seed in ("1", "2"):
        run = subprocess.run(
            [sys.executable, "-c", PAGE_CACHE_KEYS, str(ROOT)],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=False,
        )
        assert run.returncode == 0, run.stderr
        keys.append(run.stdout.splitlines())
    assert len(keys[0]) >= 2 and any("collapsed" in line for line in keys[0]), keys[0]
    assert keys[0] == keys[1]
