"""The generated package stands on its own: `pip install ./generated` works, and its README's examples run."""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from generator.write import MANIFEST
from tests.conftest import GENERATED, ROOT
from tests.readme import block

PACKAGE = GENERATED / "openai_api"


def python_blocks(markdown: str) -> list[str]:
    return re.findall(r"^```python\n(.*?)^```$", markdown, re.MULTILINE | re.DOTALL)


def test_distribution_metadata_matches_the_package() -> None:
    meta = tomllib.loads((GENERATED / "pyproject.toml").read_text())
    init = ast.parse((PACKAGE / "__init__.py").read_text())
    version = next(
        n.value.value
        for n in init.body
        if isinstance(n, ast.Assign)
        and ast.unparse(n.targets[0]) == "__version__"
        and isinstance(n.value, ast.Constant)
    )
    assert meta["project"]["version"] == version
    assert meta["project"]["name"] == "openai-api"
    assert meta["project"]["readme"] == "README.md"
    assert meta["tool"]["setuptools"]["package-data"]["openai_api"] == ["py.typed"]
    assert (PACKAGE / "py.typed").is_file()
    exported = next(n for n in init.body if isinstance(n, ast.Assign) and ast.unparse(n.targets[0]) == "__all__")
    assert isinstance(exported.value, ast.List) and len(exported.value.elts) > 50


def test_the_write_manifest_owns_the_distribution_files() -> None:
    owned = json.loads((GENERATED / MANIFEST).read_text())["files"]
    assert {"pyproject.toml", "README.md", "openai_api/py.typed"} <= set(owned)


def test_readme_has_an_example_per_endpoint_with_a_docs_example() -> None:
    readme = (GENERATED / "README.md").read_text()
    blocks = python_blocks(readme)
    examples = [b for b in blocks if "json.loads" in b]
    # One per endpoint whose docs show a response example (all but the scraped input_items page).
    from tests.snapshot import current_api

    assert len(examples) == sum(1 for e in current_api().endpoints if e.examples) < readme.count("| `client.")
    # Each is the docs' own response example, named by its place in the docs.
    for source in re.findall(r"response example of the docs \(`([^`]+)`\)", readme):
        path, line, _col = source.rsplit(":", 2)
        assert (ROOT / path).is_file() and int(line) >= 1


def test_readme_examples_run_against_the_generated_package(tmp_path: Path) -> None:
    blocks = python_blocks((GENERATED / "README.md").read_text())
    assert len(blocks) >= 2
    for i, code in enumerate(blocks):
        script = tmp_path / f"block{i}.py"
        script.write_text(code)
        env = {**os.environ, "PYTHONPATH": str(GENERATED)}
        result = subprocess.run([sys.executable, str(script)], env=env, capture_output=True, text=True, check=False)
        assert result.returncode == 0, f"block {i}:\n{code}\n{result.stderr}"


@pytest.mark.venv
def test_pip_install_into_a_fresh_venv_and_run_an_example(tmp_path: Path) -> None:
    """The slowest test of the suite (a venv, a build, httpx from the pip cache or PyPI): one of it."""
    source = tmp_path / "generated"
    # A copy: building in place would leave build/ and *.egg-info beside the committed tree.
    shutil.copytree(GENERATED, source, ignore=shutil.ignore_patterns("__pycache__"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    # The command of README.md, verbatim, with the venv first on PATH.
    command = block("install").body.strip()
    env = {
        **os.environ,
        "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}",
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    }
    installed = subprocess.run(
        ["bash", "-c", command], cwd=tmp_path, env=env, capture_output=True, text=True, check=False
    )
    assert installed.returncode == 0, installed.stderr
    blocks = python_blocks((source / "README.md").read_text())
    example = next(b for b in blocks if "json.loads" in b)
    probe = (
        "import pathlib, openai_api\n"
        "where = pathlib.Path(openai_api.__file__).parent\n"
        "assert 'site-packages' in where.parts, where\n"
        "assert (where / 'py.typed').is_file()\n"
        "from openai_api import Client\n"
        "Client(api_key='sk-test')\n"
        "print(openai_api.__version__)\n"
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for code in (probe, example):
        ran = subprocess.run([str(python), "-c", code], cwd=elsewhere, capture_output=True, text=True, check=False)
        assert ran.returncode == 0, ran.stderr
    assert ran.stdout.strip()  # the example prints the decoded type's name
