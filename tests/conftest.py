"""Shared fixtures: the project's paths and a sandbox copy of the project to generate in."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

# The `server` fixture: a real HTTP server on 127.0.0.1 for the client tests.
pytest_plugins = ["tests.http_server"]

ROOT = Path(__file__).resolve().parent.parent
GENERATED = ROOT / "generated"
SPECS = ROOT / "specs"


@dataclass
class Sandbox:
    """A copy of specs/ (and optionally generated/) in a temp dir, with the CLI run inside it."""

    root: Path

    @property
    def specs(self) -> Path:
        return self.root / "specs"

    @property
    def generated(self) -> Path:
        return self.root / "generated"

    def run(self, *args: str, hashseed: str = "0") -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "PYTHONHASHSEED": hashseed}
        return subprocess.run(
            [sys.executable, "-m", "generator", *args],
            check=False,
            cwd=self.root,
            env=env,
            capture_output=True,
            text=True,
        )

    def edit(self, relative: str, old: str, new: str, count: int = 1) -> None:
        """Replace the first ``count`` occurrences of ``old`` in a spec file; fails if it is absent."""
        path = self.specs / relative
        text = path.read_text()
        assert old in text, f"{old!r} not in {relative}"
        path.write_text(text.replace(old, new, count))


def make_sandbox(tmp: Path, with_generated: bool) -> Sandbox:
    shutil.copytree(SPECS, tmp / "specs")
    if with_generated:
        shutil.copytree(GENERATED, tmp / "generated", ignore=shutil.ignore_patterns("__pycache__"))
    return Sandbox(tmp)


@pytest.fixture
def sandbox(tmp_path: Path) -> Sandbox:
    """specs/ and the committed generated/ (so unchanged modules are not formatted again)."""
    return make_sandbox(tmp_path, with_generated=True)


@pytest.fixture
def empty_sandbox(tmp_path: Path) -> Sandbox:
    """specs/ only: generation starts from scratch."""
    return make_sandbox(tmp_path, with_generated=False)


@pytest.fixture(scope="session")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """generated/ as this checkout writes it: the committed tree after one `generate`.

    That is the committed tree itself whenever it is up to date. While the generator or its formatter
    change ahead of a regeneration, the committed manifest's cache keys are stale and every module would
    be formatted again; sandboxes made from this tree (``sandbox_from``) format only what a test edits.
    """
    sandbox = make_sandbox(tmp_path_factory.mktemp("regenerated"), with_generated=True)
    result = sandbox.run("generate")
    assert result.returncode == 0, result.stderr
    return sandbox.generated


def sandbox_from(tmp: Path, generated: Path) -> Sandbox:
    """specs/ and a copy of ``generated`` (without caches) in ``tmp``."""
    shutil.copytree(SPECS, tmp / "specs")
    shutil.copytree(generated, tmp / "generated", ignore=shutil.ignore_patterns("__pycache__"))
    return Sandbox(tmp)


ONE_PROCESS = {
    "tests/test_readme.py": "one clean clone, whose .venv the two checkout tests share",
    "tests/test_determinism.py": "the seed-0 `reference` generation",
    "tests/test_recursive_type.py": "the generated recursive package",
    "tests/test_consistency.py": "each page's graph, read alone",
    "tests/test_fidelity.py": "the SDK comparisons",
}
"""Modules whose tests share an expensive module fixture: under pytest-xdist each runs in one process."""


@pytest.hookimpl(optionalhook=True, tryfirst=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object:
    """``--dist loadgroup`` (what `make test` uses): each test is a unit of work, handed to whichever process
    is free, except that the tests of a module in ONE_PROCESS go together (scheduled first: they take
    longest). xdist's own loadgroup reads ``xdist_group`` marks through a node-id rewrite that pytest 9
    no longer takes, so it would split these modules."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class ModuleGroups(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::", 1)[0]
            return module if module in ONE_PROCESS else nodeid

    return ModuleGroups(config, log)  # type: ignore[arg-type]


FUZZ_CASES: Counter[str] = Counter()
"""Inputs the fuzz properties ran, by kind: shown at the end of the run (and appended as a JSON line to
``$FUZZ_REPORT`` when set), so that a long run's figure is a count, not an estimate."""


def pytest_sessionfinish(session: pytest.Session) -> None:
    # Under pytest-xdist (`make test`) each worker counts its own cases: hand them to the controller.
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["fuzz_cases"] = dict(FUZZ_CASES)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: object, error: object) -> None:
    FUZZ_CASES.update(getattr(node, "workeroutput", {}).get("fuzz_cases", {}))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not FUZZ_CASES:
        return
    total = sum(FUZZ_CASES.values())
    terminalreporter.write_sep("-", f"fuzz cases run: {total}")
    for kind, count in sorted(FUZZ_CASES.items()):
        terminalreporter.write_line(f"{count:>9}  {kind}")
    report = os.environ.get("FUZZ_REPORT")
    if report:
        with open(report, "a", encoding="utf-8") as f:
            f.write(json.dumps({"total": total, **dict(sorted(FUZZ_CASES.items()))}) + "\n")
