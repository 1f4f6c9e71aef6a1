"""The drift check: clean on the committed tree, exit 1 with a diff on any edit, stray file or spec change."""

from __future__ import annotations

from tests.conftest import Sandbox


def test_check_passes_on_committed_tree(sandbox: Sandbox) -> None:
    result = sandbox.run("check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "up to date" in result.stdout


def test_check_fails_after_editing_a_generated_file(sandbox: Sandbox) -> None:
    target = sandbox.generated / "openai_api/types/responses/response_usage.py"
    target.write_text(target.read_text().replace("The number of input tokens.", "Edited by hand."))
    result = sandbox.run("check")
    assert result.returncode == 1
    assert "--- a/openai_api/types/responses/response_usage.py" in result.stdout
    assert '-    """Edited by hand."""' in result.stdout
    assert '+    """The number of input tokens."""' in result.stdout


def test_check_fails_after_a_description_changes_in_specs(sandbox: Sandbox) -> None:
    sandbox.edit("http/responses.compact.md", "The total number of tokens used.", "All tokens, summed.", count=99)
    result = sandbox.run("check")
    assert result.returncode == 1
    assert '+    """All tokens, summed."""' in result.stdout
    assert "stale" in result.stderr


def test_check_reports_a_stray_module(sandbox: Sandbox) -> None:
    (sandbox.generated / "openai_api/stray.py").write_text("x = 1\n")
    result = sandbox.run("check")
    assert result.returncode == 1
    assert "openai_api/stray.py" in result.stdout
    assert "1 orphaned" in result.stderr


def test_generate_removes_stray_module_and_keeps_other_files(sandbox: Sandbox) -> None:
    (sandbox.generated / "openai_api/stray.py").write_text("x = 1\n")
    (sandbox.generated / "NOTES.txt").write_text("maintainer's file, not the generator's\n")
    result = sandbox.run("generate")
    assert result.returncode == 0, result.stderr
    assert not (sandbox.generated / "openai_api/stray.py").exists()
    assert (sandbox.generated / "NOTES.txt").exists()
    assert sandbox.run("check").returncode == 0


def test_errors_leave_the_tree_untouched(sandbox: Sandbox) -> None:
    before = {p: p.read_bytes() for p in sandbox.generated.rglob("*.py")}
    sandbox.edit("http/responses.compact.md", "- `total_tokens: number`", "- `total_tokens: number or or`")
    result = sandbox.run("generate")
    assert result.returncode == 1
    assert "specs/http/responses.compact.md:" in result.stderr
    assert "error[E103]" in result.stderr
    assert "nothing was written" in result.stderr
    assert {p: p.read_bytes() for p in sandbox.generated.rglob("*.py")} == before
