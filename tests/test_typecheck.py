"""The generated package passes mypy --strict and pyright, and is already black-formatted."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import black
import pytest

from tests.conftest import GENERATED

PACKAGE = GENERATED / "openai_api"
USAGE = Path(__file__).with_name("usage_example.py")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], check=False, cwd=GENERATED, capture_output=True, text=True)


def test_mypy_strict() -> None:
    result = run("mypy", "--strict", "--no-incremental", "--cache-dir=/dev/null", "openai_api", str(USAGE))
    assert result.returncode == 0, result.stdout + result.stderr


def test_pyright(tmp_path: Path) -> None:
    pytest.importorskip("pyright")
    config = {"include": [str(PACKAGE), str(USAGE)], "extraPaths": [str(GENERATED)], "pythonVersion": "3.11"}
    (tmp_path / "pyrightconfig.json").write_text(json.dumps(config))
    result = run("pyright", "--pythonpath", sys.executable, "--project", str(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 errors" in result.stdout


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_black_stable(path: Path) -> None:
    source = path.read_text()
    mode = black.Mode(line_length=120, target_versions={black.TargetVersion.PY311})
    assert black.format_str(source, mode=mode) == source
    compile(source, str(path), "exec")
