"""Interrupted writes: however a run dies, the next command sees the old tree or the new one, whole.

"Sees" means after ``generator.write.recover``, which ``generate`` and ``check`` both run first: a
run killed before its COMMIT file is in place leaves the old tree (the staging directory is
discarded), a run killed after it leaves the new one (recovery finishes the roll-forward).
Without recovery, a tree caught between COMMIT and the end of the roll-forward is mixed.

In-process, ``apply`` (and then ``recover``) is stopped before every file-system operation in turn,
with the file being flushed at that moment torn in half; in a subprocess, ``python -m generator
generate`` is SIGKILLed at points spread over its run and inside its write window.
"""

from __future__ import annotations

import builtins
import contextlib
import itertools
import os
import random
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.config import Config, PageSpec
from generator.pipeline import generate
from generator.write import Formatted, apply, recover
from tests.conftest import Sandbox, sandbox_from

STAGING = ".docgen-staging"


def tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (staging included) but bytecode caches."""
    if not root.is_dir():
        return {}
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def restore(root: Path, files: dict[str, bytes]) -> None:
    shutil.rmtree(root, ignore_errors=True)
    for path, data in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_bytes(data)


def which(state: dict[str, bytes], old: dict[str, bytes], new: dict[str, bytes]) -> str:
    if state == old:
        return "old"
    if state == new:
        return "new"
    only_old = sorted(p for p in old if state.get(p) != old[p])
    only_new = sorted(p for p in new if state.get(p) != new[p])
    extra = sorted(set(state) - set(old) - set(new))
    raise AssertionError(f"mixed tree: differs from old in {only_old}, from new in {only_new}, extra {extra}")


# -- in-process: stop before every file-system operation ---------------------------------------------------


class Killed(BaseException):
    """The process died here (a BaseException, so no `except OSError` in the code under test catches it)."""


_STEPS = ("replace", "rename", "unlink", "remove", "rmdir", "mkdir", "fsync")


@contextlib.contextmanager
def dies_at(step: int | None) -> Iterator[list[str]]:
    """Count the file-system operations made inside the block; raise Killed before the ``step``-th.

    A kill at an ``fsync`` also tears the file: only half of what was written reaches the disk.
    """
    done: list[str] = []
    real = {name: getattr(os, name) for name in _STEPS}
    real_open = builtins.open

    def guard(name: str, detail: object) -> None:
        if step is not None and len(done) == step:
            raise Killed(f"{name} {detail}")
        done.append(f"{name} {detail}")

    def wrap(name: str) -> Callable[..., Any]:
        def op(*args: Any, **kwargs: Any) -> Any:
            if name == "fsync" and step is not None and len(done) == step:
                size = os.fstat(args[0])
                if stat.S_ISREG(size.st_mode):
                    os.ftruncate(args[0], size.st_size // 2)
            guard(name, args[0])
            if name == "fsync":
                return None  # a kill, not a power cut, is simulated: skip the (slow) flush
            return real[name](*args, **kwargs)

        return op

    def opener(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if any(c in mode for c in "wax+"):
            guard("open", file)
        return real_open(file, mode, *args, **kwargs)

    for name in _STEPS:
        setattr(os, name, wrap(name))
    builtins.open = opener
    try:
        yield done
    finally:
        for name, fn in real.items():
            setattr(os, name, fn)
        builtins.open = real_open


def formatted(files: dict[str, str]) -> Formatted:
    return Formatted(dict(sorted(files.items())), {p: f"r-{len(t)}-{p}" for p, t in files.items()}, 0)


OLD_FILES = {
    "pkg/__init__.py": "from pkg.a import A\n",
    "pkg/a.py": "A = 1\n",
    "pkg/b.py": "B = 1\n",
    "pkg/sub/c.py": "C = 1\n",
    "pkg/sub/d.py": "D = 1\n",
    "pkg/gone/e.py": "E = 1\n",
}
NEW_FILES = {
    "pkg/__init__.py": "from pkg.a import A\nfrom pkg.fresh.f import F\n",
    "pkg/a.py": "A = 2\n",
    "pkg/sub/c.py": "C = 1\n",
    "pkg/sub/d.py": "D = 2\n",
    "pkg/fresh/f.py": "F = 1\n",
    "pkg/fresh/deeper/g.py": "G = 1\n",
}


@pytest.fixture
def fast_tmp(tmp_path: Path) -> Iterator[Path]:
    """A directory in memory where there is one: the test below restores a tree a thousand times."""
    shm = Path("/dev/shm")
    if not (shm.is_dir() and os.access(shm, os.W_OK)):
        yield tmp_path
        return
    where = Path(tempfile.mkdtemp(dir=shm, prefix="docgen-interrupt-"))
    try:
        yield where
    finally:
        shutil.rmtree(where, ignore_errors=True)


def test_a_write_stopped_anywhere_recovers_to_old_or_new(fast_tmp: Path) -> None:
    out = fast_tmp / "generated"
    apply(formatted(OLD_FILES), out, "pkg")
    (out / "pkg/stray.py").write_text("stray = 1\n")  # not generated: the new tree drops it
    (out / "NOTES.txt").write_text("not the generator's\n")  # outside the package: kept
    old = tree(out)
    apply(formatted(NEW_FILES), out, "pkg")
    new = tree(out)
    assert old != new and "pkg/stray.py" not in new and "NOTES.txt" in new

    outcomes: list[str] = []
    step = 0
    while True:
        restore(out, old)
        with dies_at(step) as done:
            try:
                apply(formatted(NEW_FILES), out, "pkg")
            except Killed:
                pass
            else:
                break  # every operation of a whole run has had its turn
        interrupted = tree(out)
        # Recovery may die too, at any of its own operations; a later recovery still ends in the same place.
        expected: str | None = None
        for recovery_step in itertools.count():
            restore(out, interrupted)
            with dies_at(recovery_step):
                try:
                    recover(out)
                    finished = True
                except Killed:
                    finished = False
            recover(out)
            assert not (out / STAGING).exists(), (step, recovery_step)
            state = which(tree(out), old, new)
            assert expected in (None, state), (step, recovery_step, done[-3:])
            expected = state
            if finished:
                break
        assert expected is not None
        outcomes.append(expected)
        step += 1
    # The outcome flips from old to new exactly once: at the step that puts COMMIT in place.
    assert outcomes and outcomes[0] == "old" and outcomes[-1] == "new", outcomes
    flip = outcomes.index("new")
    assert outcomes[flip:] == ["new"] * (len(outcomes) - flip), outcomes
    assert len(outcomes) > 20, f"only {len(outcomes)} operations: the counting missed something"


def test_a_torn_commit_file_is_not_a_commit(tmp_path: Path) -> None:
    """A COMMIT cut short (say, by a power cut) must not make every later run fail."""
    out = tmp_path / "generated"
    apply(formatted(OLD_FILES), out, "pkg")
    old = tree(out)
    with dies_at(None) as done:
        apply(formatted(NEW_FILES), out, "pkg")
    commit_steps = [i for i, d in enumerate(done) if d.startswith("fsync") and i > 0 and "COMMIT" in done[i - 1]]
    assert commit_steps, done
    restore(out, old)
    with dies_at(commit_steps[0]), contextlib.suppress(Killed):
        apply(formatted(NEW_FILES), out, "pkg")
    recover(out)
    assert tree(out) == old


def test_a_run_with_errors_after_an_interrupted_one_writes_nothing_new(fast_tmp: Path) -> None:
    """It finishes or discards the interrupted write (as every command does first), and nothing else."""
    out = fast_tmp / "generated"
    apply(formatted(OLD_FILES), out, "pkg")
    old = tree(out)
    apply(formatted(NEW_FILES), out, "pkg")
    new = tree(out)
    restore(out, old)
    with dies_at(None) as done:
        apply(formatted(NEW_FILES), out, "pkg")
    commit = next(i for i, d in enumerate(done) if d.startswith("replace") and d.endswith("COMMIT.tmp"))
    (fast_tmp / "specs.toml").write_text("")
    page = fast_tmp / "broken.md"
    page.write_text("## Broken\n\n**get** `/things`\n\n### Returns\n\n- `x: string or or`\n")
    config = Config(fast_tmp / "specs.toml", "pkg", out, (PageSpec(page, "broken.md", "http", True),))
    for step, expected in [(commit, old), (commit + 1, new), (len(done) - 1, new)]:
        restore(out, old)
        with dies_at(step), contextlib.suppress(Killed):
            apply(formatted(NEW_FILES), out, "pkg")
        result = generate(config)
        assert result.formatted is None and any(d.code == "E103" for d in result.diagnostics)
        assert tree(out) == expected, step


# -- subprocess: SIGKILL `python -m generator generate` ----------------------------------------------------


def start(sandbox: Sandbox, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "generator", *args],
        cwd=sandbox.root,
        env={**os.environ, "PYTHONHASHSEED": "0"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: the kill takes formatting workers with it
    )


def kill(proc: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def kill_when_staging_appears(proc: subprocess.Popen[bytes], staging: Path, extra: float) -> None:
    """Kill inside the write window, which lasts milliseconds: poll for the staging directory."""
    deadline = time.monotonic() + 60
    while proc.poll() is None and time.monotonic() < deadline:
        if staging.exists():
            if extra:
                time.sleep(extra)
            break
    kill(proc)


KILLS = int(os.environ.get("INTERRUPT_KILLS", "6"))
"""Kills per run of the subprocess test (every write step is also stopped in turn, in-process, above);
``make fuzz-interrupt`` runs many more."""


def test_sigkilled_generate_leaves_old_or_new_tree(regenerated: Path, tmp_path: Path) -> None:
    sandbox = sandbox_from(tmp_path, regenerated)
    rng = random.Random(7)
    out = sandbox.generated
    pkg = out / "openai_api"
    # The old tree differs from what the edited specs give in every way a write can: a stray module to
    # remove, a deleted module to add back, and modules whose docstrings change.
    (pkg / "stray.py").write_text("stray = 1\n")
    (pkg / "types/responses/response_usage.py").unlink()
    old = tree(out)
    sandbox.edit("http/responses.compact.md", "The ID of the file.", "The file's ID.", count=99)
    sandbox.edit("http/responses.compact.md", "The total number of tokens used.", "All tokens, summed.", count=99)

    started = time.monotonic()
    result = sandbox.run("generate")
    duration = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    new = tree(out)
    assert old != new

    seen: dict[str, int] = {"old": 0, "new": 0}
    watched = range(4, KILLS, 5)  # these kills wait for the write to start
    spread = iter(range(KILLS - len(watched)))
    restore(out, old)
    for i in range(KILLS):
        if tree(out) != old:
            restore(out, old)
        proc = start(sandbox, "generate")
        if i in watched:
            kill_when_staging_appears(proc, out / STAGING, rng.choice([0, 0.0005, 0.002]))
        else:
            # Spread over the whole run: start-up, reading, formatting, writing, and just after.
            time.sleep(duration * 1.1 * (next(spread) + rng.random()) / (KILLS - len(watched)))
            kill(proc)
        if i % 7 == 6:
            # The next command is `check`: it must see a whole tree, and say whether it is the new one.
            checked = sandbox.run("check")
            state = which(tree(out), old, new)
            assert checked.returncode == (0 if state == "new" else 1), checked.stderr
        else:
            recover(out)
            state = which(tree(out), old, new)
        assert not (out / STAGING).exists()
        seen[state] += 1

    # Whatever the last kill left, the next `generate` ends with the new tree.
    result = sandbox.run("generate")
    assert result.returncode == 0, result.stderr
    assert tree(out) == new
    assert sum(seen.values()) == KILLS and seen["old"] > 0, seen


def test_a_run_with_errors_leaves_every_file_untouched(regenerated: Path, tmp_path: Path) -> None:
    """Not one byte of generated/ (manifest included) changes, and no staging directory is left."""
    sandbox = sandbox_from(tmp_path, regenerated)
    (sandbox.generated / "openai_api/stray.py").write_text("stray = 1\n")  # a good run would remove it
    before = tree(sandbox.generated)
    stamps = {p: p.stat().st_mtime_ns for p in sandbox.generated.rglob("*")}
    sandbox.edit("http/responses.compact.md", "The total number of tokens used.", "All tokens, summed.", count=99)
    sandbox.edit("http/responses.compact.md", "- `total_tokens: number`", "- `total_tokens: nubmer`")
    result = sandbox.run("generate")
    assert result.returncode == 1 and "unknown type word 'nubmer'" in result.stderr, result.stderr
    assert tree(sandbox.generated) == before
    assert {p: p.stat().st_mtime_ns for p in sandbox.generated.rglob("*")} == stamps
    assert not (sandbox.generated / STAGING).exists()
