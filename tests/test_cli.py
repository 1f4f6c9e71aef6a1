"""The command line: documented exit codes, the one-screen summary, -q/-v, --diff, a progress bar on terminals."""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import EXIT_FAILED, EXIT_OK, EXIT_USAGE, main
from generator.config import load_project
from generator.pipeline import build_api
from tests.conftest import Sandbox
from tests.tiny import make_tiny

EXIT_LINES = ["0  success", "1  drift (check), or errors", "2  usage error"]


@pytest.mark.parametrize("argv", [["--help"], ["generate", "--help"], ["check", "--help"]])
def test_help_documents_the_exit_codes(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == EXIT_OK
    out = capsys.readouterr().out
    for line in EXIT_LINES:
        assert line in out
    assert "[tool.docgen]" in out


@pytest.mark.parametrize("argv", [[], ["frobnicate"], ["generate", "--bogus"], ["check", "--line-length", "x"]])
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == EXIT_USAGE
    assert "usage: docgen" in capsys.readouterr().err


def test_exit_codes_are_the_documented_ones() -> None:
    assert (EXIT_OK, EXIT_FAILED, EXIT_USAGE) == (0, 1, 2)
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    assert re.search(r"exit status.*0.*1.*2", readme, re.DOTALL | re.IGNORECASE)


def test_summary_counts_what_was_generated(tmp_path: Path) -> None:
    sandbox = make_tiny(tmp_path)
    (tmp_path / "generated").mkdir()
    (tmp_path / "generated" / "things_api").mkdir()
    (tmp_path / "generated" / "things_api" / "stray.py").write_text("x = 1\n")
    result = sandbox.run("generate")
    assert result.returncode == EXIT_OK, result.stderr
    config, _ = load_project(tmp_path)
    assert config is not None
    api, diagnostics = build_api(config)
    assert api is not None
    files = sum(1 for p in sandbox.generated.rglob("*") if p.is_file() and "__pycache__" not in p.parts) - 1
    lines = result.stdout.splitlines()
    assert lines[0] == f"docgen: {files} written, 1 removed, 0 unchanged ({files - 3} formatted)"
    assert lines[1] == "  output       generated/ (package things_api)"
    definitions = sum(len(m.definitions) for m in api.modules)
    assert lines[2] == f"  types        {definitions} definitions in {len(api.modules)} modules"
    assert lines[3] == f"  endpoints    {len(api.endpoints)}"
    assert lines[4] == f"  diagnostics  0 error(s), {len(diagnostics)} warning(s)"
    assert re.fullmatch(r"  time         \d+\.\d\ds \(generate\)", lines[5])
    assert len(lines) == 6  # one screen
    again = sandbox.run("generate")
    assert again.stdout.splitlines()[0] == f"docgen: 0 written, 0 removed, {files + 1} unchanged (0 formatted)"


def test_quiet_and_verbose(sandbox: Sandbox) -> None:
    quiet = sandbox.run("check", "-q")
    assert quiet.returncode == EXIT_OK and quiet.stdout == "" and quiet.stderr == ""
    verbose = sandbox.run("check", "-v")
    assert verbose.returncode == EXIT_OK
    warnings = re.findall(r"^\S+:\d+:\d+: warning\[W\d+\]", verbose.stderr, re.MULTILINE)
    assert warnings and "warning[" not in quiet.stderr
    assert f", {len(warnings)} warning(s)" in verbose.stdout


def test_check_quiet_on_drift_prints_no_diff(sandbox: Sandbox) -> None:
    sandbox.edit("http/responses.compact.md", "The total number of tokens used.", "All tokens, summed.", count=99)
    result = sandbox.run("check", "-q")
    assert result.returncode == EXIT_FAILED
    assert result.stdout == ""
    assert "1 stale and 0 orphaned file(s)" in result.stderr


def test_generate_diff_prints_what_it_changes(tmp_path: Path) -> None:
    sandbox = make_tiny(tmp_path)
    assert sandbox.run("generate").returncode == 0
    sandbox.edit("things.md", "The name of the thing.", "What the thing is called.")
    result = sandbox.run("generate", "--diff")
    assert result.returncode == EXIT_OK, result.stderr
    assert "--- a/things_api/types/things/thing.py\n+++ b/things_api/types/things/thing.py\n" in result.stdout
    assert '-    """The name of the thing."""\n+    """What the thing is called."""\n' in result.stdout
    assert "What the thing is called." in (sandbox.generated / "things_api/types/things/thing.py").read_text()
    assert sandbox.run("generate", "--diff").stdout.startswith("docgen: 0 written")  # nothing to show


def test_a_reader_that_stops_early_does_not_stop_the_run(tmp_path: Path) -> None:
    """`docgen generate --diff | head`: the pipe closes before the diff is out; the files are still
    written, the summary goes nowhere, and no traceback shows."""
    sandbox = make_tiny(tmp_path)
    read, write = os.pipe()
    os.close(read)  # the reader is gone before the first byte
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "generator", "generate", "--diff"],
            cwd=sandbox.root,
            stdout=write,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": "0"},
            check=False,
        )
    finally:
        os.close(write)
    assert proc.returncode == EXIT_OK, proc.stderr
    assert "Traceback" not in proc.stderr and "BrokenPipe" not in proc.stderr, proc.stderr
    assert (sandbox.generated / "things_api/types/things/thing.py").is_file()


def run_on_terminal(args: list[str], cwd: Path) -> tuple[int, str]:
    """Run the CLI with its stdout on a pseudo-terminal; what the terminal showed."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator", *args], cwd=cwd, stdout=follower, stderr=subprocess.DEVNULL
    )
    os.close(follower)
    shown = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the other end closed
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    return proc.wait(), shown.decode()


def test_progress_bar_only_on_a_terminal(tmp_path: Path) -> None:
    sandbox = make_tiny(tmp_path)
    code, shown = run_on_terminal(["generate"], tmp_path)
    assert code == EXIT_OK
    bars = re.findall(r"formatting \[[#.]{30}\] (\d+)/(\d+)", shown)
    assert bars and bars[-1][0] == bars[-1][1]
    assert "\r\x1b[K" in shown  # the bar is cleared before the summary
    assert "docgen: " in shown
    sandbox.edit("things.md", "The ID of the thing.", "Its ID.")
    piped = sandbox.run("generate")
    assert piped.returncode == EXIT_OK and "1 formatted" in piped.stdout
    assert "formatting [" not in piped.stdout and "\r" not in piped.stdout
    sandbox.edit("things.md", "Its ID.", "The ID.")
    code, shown = run_on_terminal(["generate", "-q"], tmp_path)
    assert code == EXIT_OK and shown == ""
