"""Hand-added code in generated modules survives `generate`; a member whose class is gone is a conflict."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from generator.custom import carry
from generator.members import container_keys
from generator.write import MANIFEST, Formatted
from tests.conftest import Sandbox

MODULE = "openai_api/types/responses/response_usage.py"
PAGE = "http/responses.compact.md"

# Appended to the end of `ResponseUsage` (the last class of its module): a class attribute, a method.
ADDED = '''
    # Hand-added: what a call cost.
    PRICE_PER_TOKEN: ClassVar[float] = 0.5

    def cost(self) -> float:
        """The price of the call."""
        return self.total_tokens * self.PRICE_PER_TOKEN
'''
IMPORT = "import math  # hand-added\n"


def add_code(sandbox: Sandbox) -> Path:
    path = sandbox.generated / MODULE
    text = path.read_text()
    assert text.endswith("        return out\n")
    anchor = "from openai_api import _runtime as _rt\n"
    path.write_text(text.replace(anchor, anchor + IMPORT, 1) + ADDED)
    return path


def test_added_members_are_not_drift(sandbox: Sandbox) -> None:
    add_code(sandbox)
    result = sandbox.run("check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"custom code  kept in 1 file(s): {MODULE}" in result.stdout


def test_added_members_survive_a_docs_change(sandbox: Sandbox) -> None:
    path = add_code(sandbox)
    # An edit to a generated member is not carried: the generator owns it, and `check` shows it.
    path.write_text(path.read_text().replace("The number of output tokens.", "Edited by hand."))
    sandbox.edit(PAGE, "The total number of tokens used.", "All tokens, summed.", count=99)
    check = sandbox.run("check")
    assert check.returncode == 1
    # The diff shows the docs change and the edit, and nothing of the hand-added code.
    assert '+    """All tokens, summed."""' in check.stdout
    assert '-    """Edited by hand."""' in check.stdout
    assert "PRICE_PER_TOKEN" not in check.stdout and "hand-added" not in check.stdout

    result = sandbox.run("generate")
    assert result.returncode == 0, result.stderr
    text = path.read_text()
    assert '    """All tokens, summed."""' in text
    assert "Edited by hand." not in text and "The number of output tokens." in text
    assert text.endswith("        return out\n" + ADDED)
    assert IMPORT in text
    assert sandbox.run("check").returncode == 0
    # The result imports and works: the carried method runs against the regenerated class.
    probe = (
        "from openai_api.types.responses.response_usage import ResponseUsage\n"
        "u = ResponseUsage.from_dict({'input_tokens': 1, 'input_tokens_details': {'cached_tokens': 0},"
        " 'output_tokens': 1, 'output_tokens_details': {'reasoning_tokens': 0}, 'total_tokens': 4})\n"
        "print(u.cost())\n"
    )
    ran = subprocess.run(
        [sys.executable, "-c", probe], cwd=sandbox.generated, capture_output=True, text=True, check=False
    )
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout == "2.0\n"


def test_member_of_a_class_the_docs_dropped_is_a_conflict(sandbox: Sandbox) -> None:
    path = sandbox.generated / MODULE
    text = path.read_text()
    first_end = text.index("        return out\n") + len("        return out\n")  # the end of InputTokensDetails
    path.write_text(
        text[:first_end] + "\n    def cached_share(self) -> float:\n        return 0.0\n" + text[first_end:]
    )
    line = text[:first_end].count("\n") + 2
    before = {p: p.read_bytes() for p in sandbox.generated.rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    # The docs stop describing `input_tokens_details` as an object: the class `InputTokensDetails` goes away.
    sandbox.edit(
        PAGE,
        "    - `input_tokens_details: object { cached_tokens }`\n\n      A detailed breakdown of the input tokens.\n\n"
        "      - `cached_tokens: number`\n\n        The number of tokens that were retrieved from the cache.\n"
        "        [More on prompt caching](/docs/guides/prompt-caching).\n",
        "    - `input_tokens_details: number`\n\n      A detailed breakdown of the input tokens.\n",
    )
    result = sandbox.run("generate")
    assert result.returncode == 1
    assert (
        f"generated/{MODULE}:{line}:9: error[E803]: hand-added member `cached_share` extends class "
        "`InputTokensDetails`, which the docs no longer describe" in result.stderr
    ), result.stderr
    assert "nothing was written" in result.stderr
    after = {p: p.read_bytes() for p in sandbox.generated.rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    assert after == before
    # The way out when the code is not wanted any more: drop it.
    dropped = sandbox.run("generate", "--discard-custom")
    assert dropped.returncode == 0, dropped.stderr
    assert "cached_share" not in path.read_text() and "class InputTokensDetails" not in path.read_text()
    assert sandbox.run("check", "-q").returncode == 0


def test_member_whose_name_the_generator_now_uses_is_a_conflict(sandbox: Sandbox) -> None:
    path = sandbox.generated / MODULE
    path.write_text(path.read_text() + "\n    def total(self) -> float:\n        return 0.0\n")
    sandbox.edit(PAGE, "- `total_tokens: number`", "- `total: number`")
    result = sandbox.run("generate")
    assert result.returncode == 1
    assert "error[E804]: hand-added member `total` of class `ResponseUsage` now has a generated namesake" in (
        result.stderr
    )


def formatted(files: dict[str, str]) -> Formatted:
    members = {p: {k: " ".join(sorted(v)) for k, v in container_keys(t).items()} for p, t in files.items()}
    return Formatted(files, {p: "-" for p in files}, 0, members)


@pytest.mark.parametrize(
    "position",
    ["top of the class", "between fields", "end of the module"],
)
def test_carried_code_keeps_its_place(tmp_path: Path, position: str) -> None:
    old = 'class A:\n    """A."""\n\n    x: int\n    """X."""\n\n    y: int\n'
    new = 'class A:\n    """A."""\n\n    x: int\n    """The new X."""\n\n    z: int\n\n    y: int\n'
    helper = "\n    def helper(self) -> int:\n        return 1\n"
    if position == "top of the class":
        edited = old.replace('"""A."""\n', '"""A."""\n' + helper, 1)
        expected = new.replace('"""A."""\n', '"""A."""\n' + helper, 1)
    elif position == "between fields":
        edited = old.replace('"""X."""\n', '"""X."""\n' + helper, 1)
        expected = new.replace('"""The new X."""\n', '"""The new X."""\n' + helper, 1)
    else:
        edited = old + "\n\ndef extra() -> None:\n    pass\n"
        expected = new + "\n\ndef extra() -> None:\n    pass\n"
    written = formatted({"m.py": old})
    (tmp_path / "m.py").write_text(edited)
    entry = {"rendered": "-", "sha256": "old", "members": written.members["m.py"]}
    (tmp_path / MANIFEST).write_text(json.dumps({"files": {"m.py": entry}}))
    result, diagnostics = carry(formatted({"m.py": new}), tmp_path)
    assert diagnostics == []
    assert result.files["m.py"] == expected
    # Carrying again over the result, as the manifest then records it, is a fixed point (what keeps
    # `check` clean after `generate`).
    (tmp_path / "m.py").write_text(expected)
    entry = {"rendered": "-", "sha256": "new", "members": formatted({"m.py": new}).members["m.py"]}
    (tmp_path / MANIFEST).write_text(json.dumps({"files": {"m.py": entry}}))
    again, _ = carry(formatted({"m.py": new}), tmp_path)
    assert again.files["m.py"] == expected


def test_a_member_the_docs_removed_is_not_mistaken_for_hand_added(tmp_path: Path) -> None:
    old = "class A:\n    x: int\n    y: int\n"
    new = "class A:\n    x: int\n"
    (tmp_path / "m.py").write_text(old + "\n    def mine(self) -> None:\n        pass\n")
    entry = {"rendered": "-", "sha256": "old", "members": formatted({"m.py": old}).members["m.py"]}
    (tmp_path / MANIFEST).write_text(json.dumps({"files": {"m.py": entry}}))
    result, _ = carry(formatted({"m.py": new}), tmp_path)
    assert result.files["m.py"] == new + "\n    def mine(self) -> None:\n        pass\n"


def test_a_tree_merged_from_two_generations_is_not_taken_for_hand_edits(tmp_path: Path) -> None:
    """The manifest of one generation over the files of another (a merge that took the manifest from one
    side): members this run generates as they are on disk are not hand-added, and a module that lacks
    members the manifest records is refused rather than guessed at."""
    recorded = "class A:\n    x: int\n    y: int\n"  # the generation the manifest describes
    other = "class A:\n    x: int\n    z: int\n"  # the other branch's generation, on disk
    entry = {"rendered": "-", "sha256": "recorded", "members": formatted({"m.py": recorded}).members["m.py"]}
    (tmp_path / MANIFEST).write_text(json.dumps({"files": {"m.py": entry}}))
    (tmp_path / "m.py").write_text(other)
    result, diagnostics = carry(formatted({"m.py": other}), tmp_path)
    assert diagnostics == [] and result.files["m.py"] == other and not result.pristine
    # This run generates `z` differently: now the module would have a member no generation explains.
    newer = "class A:\n    x: int\n    z: str\n"
    result, diagnostics = carry(formatted({"m.py": newer}), tmp_path, root=tmp_path)
    assert [(d.code, str(d.span)) for d in diagnostics] == [("E805", "m.py:1:1")]
    assert "`A.y`" in diagnostics[0].message and "--discard-custom" in diagnostics[0].message
