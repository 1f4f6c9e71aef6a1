"""Every example in README.md runs; the two commands run verbatim on a clean checkout."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
import tomllib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
import yaml

from generator.config import load_project
from tests.conftest import GENERATED, ROOT, Sandbox, make_sandbox
from tests.readme import block, readme_blocks
from tests.snapshot import current_api
from tests.tiny import PAGE

TESTED = {
    "two-commands",
    "diagnostic",
    "usage",
    "pages",
    "install",
    "add-page",
    "summary",
    "cli",
    "config",
    "override",
    "custom",
    "pre-commit",
    "ci",
}
"""The README blocks and the tests below that run them (`install` runs in tests/test_package.py)."""


def test_every_block_is_named_and_tested() -> None:
    names = [b.name for b in readme_blocks()]
    assert None not in names, "a README block without a `<!-- readme-test: NAME -->` line above it"
    assert sorted(n for n in names if n) == sorted(TESTED)


def bash(line: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "-c", line], cwd=cwd, env=env, capture_output=True, text=True, check=False)


# -- a clean checkout ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A fresh clone of the committed tree, with `shared/` beside it as CI has it."""
    base = tmp_path_factory.mktemp("checkout")
    target = base / "docgen-py"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(target)], check=True)
    shared = ROOT.parent / "shared"
    if shared.is_dir():
        (base / "shared").symlink_to(shared)
    yield target


def venv_env(clone: Path) -> dict[str, str]:
    return {**os.environ, "PATH": f"{clone / '.venv' / 'bin'}{os.pathsep}{os.environ['PATH']}"}


def status(clone: Path) -> str:
    return subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"], cwd=clone, capture_output=True, text=True, check=True
    ).stdout


@pytest.mark.venv
def test_the_two_commands_on_a_clean_checkout(clone: Path) -> None:
    commands = block("two-commands")
    assert commands.lines() == ["make generate", "make test"]
    line = next(raw for raw in commands.body.splitlines() if raw.startswith("make generate"))
    result = bash(line, clone)  # verbatim: sets up .venv, then generates
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"^docgen: 0 written, 0 removed, \d+ unchanged", result.stdout, re.MULTILINE), result.stdout
    assert status(clone) == ""  # the committed tree is what the generator writes
    # `make test` is what CI runs: .ci/run runs exactly it (running it here would run this test again).
    ci = [ln.strip() for ln in (clone / ".ci" / "run").read_text().splitlines()]
    assert [ln for ln in ci if ln and not ln.startswith("#") and not ln.startswith(("set ", "cd "))] == ["make test"]
    # As a new user runs it: not with the variables of the `make test` (say TEST_JOBS=0) running this test.
    fresh = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "TEST_JOBS")}
    dry = subprocess.run(
        ["make", "--no-print-directory", "-n", "test"], cwd=clone, env=fresh, capture_output=True, text=True, check=True
    ).stdout
    assert dry.strip().splitlines()[-1] == ".venv/bin/python -m pytest -q -p no:cacheprovider -n 2 --dist loadgroup"


@pytest.mark.venv
def test_cli_summary_override_and_ci_blocks_on_the_checkout(clone: Path) -> None:
    if not (clone / ".venv" / "bin" / "docgen").exists():
        assert bash("make generate", clone).returncode == 0
    env = venv_env(clone)
    outputs = []
    for line in block("cli").body.splitlines():
        result = bash(line, clone, env)
        assert result.returncode == 0, f"{line}\n{result.stdout}{result.stderr}"
        outputs.append(result.stdout)
    assert json.loads((clone / "openapi.json").read_text())["openapi"] == "3.1.0"
    (clone / "openapi.json").unlink()
    # The summary of `generate --diff` (no diff: the tree is up to date) has the README's shape.
    shape = [re.escape(ln) for ln in block("summary").body.splitlines()]
    shape = [re.sub(r"\\?\d+(\\\.\d+)?", lambda m: r"\d+\.\d+" if m[1] else r"\d+", ln) for ln in shape]
    got = outputs[0].splitlines()
    assert len(got) == len(shape) and all(re.fullmatch(p, g) for p, g in zip(shape, got, strict=True)), got
    assert outputs[1] == ""  # check -q: nothing to say
    # Template override: an override that extends the built-in template changes nothing.
    for line in block("override").body.splitlines():
        result = bash(line, clone, env)
        assert result.returncode == 0, f"{line}\n{result.stderr}"
    assert status(clone) == "?? docgen-templates/package_readme.md.j2\n"
    shutil.rmtree(clone / "docgen-templates")
    # The pre-commit hook this repository offers, as pre-commit runs it (no file names), and the CI job.
    hooks = yaml.safe_load((clone / ".pre-commit-hooks.yaml").read_text())
    used = yaml.safe_load(block("pre-commit").body)["repos"][0]["hooks"]
    offered = {h["id"]: h for h in hooks}
    assert {h["id"] for h in used} <= set(offered)
    for hook in used:
        spec = offered[hook["id"]]
        assert spec["language"] == "python" and spec["pass_filenames"] is False
        result = bash(spec["entry"], clone, env)
        assert result.returncode == 0, result.stdout + result.stderr
    job = yaml.safe_load(block("ci").body)["jobs"]["docgen-drift"]
    runs = [step["run"] for step in job["steps"] if "run" in step]
    assert runs == ["pip install -e .", "docgen check"]
    for line in runs:
        result = bash(line, clone, env)
        assert result.returncode == 0, f"{line}\n{result.stdout}{result.stderr}"
    assert status(clone) == ""


# -- examples run in sandboxes -----------------------------------------------------------------------


def test_diagnostic_example(empty_sandbox: Sandbox) -> None:
    shown = block("diagnostic").body.strip()
    empty_sandbox.edit("http/responses.compact.md", "`total_tokens: number`", "`total_tokens: number or or`")
    result = empty_sandbox.run("generate")
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == shown


def test_add_a_page_example(sandbox: Sandbox) -> None:
    entry = block("add-page")
    page = tomllib.loads(entry.body)["page"][0]
    (sandbox.specs / page["path"]).write_text(PAGE)
    with (sandbox.specs / "specs.toml").open("a") as f:
        f.write("\n" + entry.body)
    result = sandbox.run("generate")
    assert result.returncode == 0, result.stderr
    assert (sandbox.generated / "openai_api" / "types" / "things" / "thing.py").is_file()
    assert "client.things.retrieve(thing_id)" in (sandbox.generated / "README.md").read_text()


def test_configuration_example(tmp_path: Path) -> None:
    example = block("config").body
    make_sandbox(tmp_path, with_generated=True)
    (tmp_path / "pyproject.toml").write_text(example)
    (tmp_path / "docgen-templates").mkdir()
    config, diagnostics = load_project(tmp_path)
    assert not diagnostics and config is not None
    assert config.template_dir == (tmp_path / "docgen-templates").resolve()
    result = Sandbox(tmp_path).run("check", "-q")
    assert result.returncode == 0, result.stdout + result.stderr  # the documented values are the defaults


def test_hand_added_code_example(sandbox: Sandbox) -> None:
    path = sandbox.generated / "openai_api" / "types" / "responses" / "response_usage.py"
    text = path.read_text()
    assert "\nclass ResponseUsage:" in text and text.endswith("        return out\n")
    path.write_text(text + "\n" + block("custom").body)
    result = sandbox.run("check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "custom code  kept in 1 file(s)" in result.stdout


class _DocsExamples(BaseHTTPRequestHandler):
    """Answers each documented endpoint with its first response example from the docs."""

    routes: ClassVar[list[tuple[str, re.Pattern[str], str]]] = []

    def _answer(self) -> None:
        path, _, query = self.path.partition("?")
        path = path.removeprefix("/v1")
        length = int(self.headers.get("content-length") or 0)
        self.rfile.read(length)
        for method, pattern, body in self.routes:
            if method == self.command and pattern.fullmatch(path):
                answer = json.loads(body)
                if "after=" in query and isinstance(answer, dict) and "has_more" in answer:
                    answer = {**answer, "data": [], "has_more": False}  # the page after the example: the last
                data = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.send_header("x-request-id", "req_123")
                self.end_headers()
                self.wfile.write(data)
                return
        self.send_error(404)

    do_GET = do_POST = do_DELETE = _answer

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def docs_server() -> Iterator[str]:
    """The base URL of a local server answering every documented endpoint with its docs example."""
    api = current_api()
    _DocsExamples.routes = [
        (e.http_method, re.compile(re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(e.path))), e.examples[0].response)
        for e in api.endpoints
        if e.examples
    ]
    server = ThreadingHTTPServer(("127.0.0.1", 0), _DocsExamples)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
        server.server_close()


def run_against(base_url: str, script: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(GENERATED), "OPENAI_API_KEY": "sk-test", "OPENAI_BASE_URL": base_url}
    return subprocess.run(
        [sys.executable, str(script)], env=env, capture_output=True, text=True, check=False, timeout=120
    )


def test_usage_example_against_a_local_server_answering_with_the_docs_examples(
    docs_server: str, tmp_path: Path
) -> None:
    script = tmp_path / "usage.py"
    script.write_text(block("usage").body)
    result = run_against(docs_server, script)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "0"  # the docs example's total_tokens


def test_pages_example(docs_server: str, tmp_path: Path) -> None:
    """The fragment runs with the `client` and `async_client` it talks about, inside a coroutine."""
    body = "".join(f"    {line}\n" if line else "\n" for line in block("pages").body.splitlines())
    script = tmp_path / "pages.py"
    script.write_text(
        "import asyncio\n\nfrom openai_api import AsyncClient, Client\n\n"
        "client = Client()\nasync_client = AsyncClient()\n\n\nasync def main() -> None:\n"
        f"{body}\n\nasyncio.run(main())\n"
    )
    result = run_against(docs_server, script)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["200", "req_123", "id"]  # status, request id, the example's id


def test_install_example_is_the_one_the_venv_test_runs() -> None:
    assert block("install").lines() == ["pip install ./generated"]
