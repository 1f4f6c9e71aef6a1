"""Write the generated tree atomically, keep its manifest, and compare it with what is on disk."""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import json
import os
import shutil
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.members import container_keys

if TYPE_CHECKING:
    from concurrent.futures import Executor

__all__ = ["MANIFEST", "Drift", "Formatted", "apply", "drift", "format_all", "read_text", "recover", "sha"]

MANIFEST = ".docgen-manifest.json"
_STAGING = ".docgen-staging"
_COMMIT = "COMMIT"


def sha(text: str) -> str:
    """The hex SHA-256 of a text, as the manifest records it."""
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Formatted:
    """Final file contents plus, per file, the hash of the rendering they were formatted from."""

    files: dict[str, str]
    rendered: dict[str, str]
    """Path → sha256 of the unformatted rendering (and formatter settings)."""
    formatted_count: int
    """How many files had to be formatted (the rest were reused from disk)."""
    members: dict[str, dict[str, str]] = field(default_factory=dict)
    """Per ``.py`` file and container, the space-separated keys of the generator's own members
    (``generator/members.py``), so that a later run can tell the members a maintainer added from the
    ones the generator wrote."""
    pristine: dict[str, str] = field(default_factory=dict)
    """Per file that carries hand-added code (``generator/custom.py``): sha256 of the generated text alone."""


def read_manifest(out_dir: Path) -> dict[str, dict[str, Any]]:
    try:
        data = json.loads((out_dir / MANIFEST).read_text())
    except (OSError, ValueError):
        return {}
    files = data.get("files") if isinstance(data, dict) else None
    return files if isinstance(files, dict) else {}


def format_all(
    rendered: Mapping[str, str],
    out_dir: Path,
    formatter: Callable[[str], str],
    formatter_key: str,
    jobs: int = 1,
    pool: Executor | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Formatted:
    """Format every rendered ``.py`` file, reusing the committed text of files whose rendering is unchanged.

    Formatting (black) dominates generation time, so a file whose unformatted rendering hashes
    the same as when the manifest was written, and whose on-disk text is still what was written
    then, is taken from disk as it is. ``pool`` (already warm) formats the rest when given.
    ``progress(done, total)`` is called as each file is formatted.
    """
    manifest = read_manifest(out_dir)
    files: dict[str, str] = {}
    hashes: dict[str, str] = {}
    members: dict[str, dict[str, str]] = {}
    todo: list[str] = []
    for path, text in sorted(rendered.items()):
        key = sha(formatter_key + "\0" + text)
        hashes[path] = key
        entry = manifest.get(path, {})
        # A file that carries hand-added code is not the generator's text: it is formatted again.
        if entry.get("rendered") == key and "pristine" not in entry:
            on_disk = read_text(out_dir / path)
            if on_disk is not None and sha(on_disk) == entry.get("sha256"):
                files[path] = on_disk
                recorded = entry.get("members")
                if isinstance(recorded, dict) and all(isinstance(v, str) for v in recorded.values()):
                    members[path] = recorded
                continue
        if path.endswith(".py"):
            todo.append(path)
        else:
            files[path] = text
    if pool is not None and todo:
        # Largest first, one file per task: the biggest module does not start last on a busy worker.
        todo.sort(key=lambda p: -len(rendered[p]))
        results = _counted(pool.map(formatter, [rendered[p] for p in todo]), len(todo), progress)
    elif jobs > 1 and len(todo) > 4:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=jobs) as own:
            results = _counted(own.map(formatter, [rendered[p] for p in todo], chunksize=4), len(todo), progress)
    else:
        results = _counted((formatter(rendered[p]) for p in todo), len(todo), progress)
    files.update(zip(todo, results, strict=True))
    for path, text in files.items():
        if path.endswith(".py") and path not in members:
            members[path] = {k: " ".join(sorted(set(v))) for k, v in container_keys(text).items()}
    return Formatted(dict(sorted(files.items())), hashes, len(todo), dict(sorted(members.items())))


def _counted(results: Iterable[str], total: int, progress: Callable[[int, int], None] | None) -> list[str]:
    out: list[str] = []
    for text in results:
        out.append(text)
        if progress is not None:
            progress(len(out), total)
    return out


@dataclass(frozen=True, slots=True)
class Drift:
    """How the tree on disk differs from a fresh generation."""

    stale: tuple[str, ...]
    """Files whose content differs (or that are missing)."""
    orphaned: tuple[str, ...]
    """Files the generator does not produce any more, or stray files in the package."""
    diff: str
    """A unified diff of every difference."""

    @property
    def clean(self) -> bool:
        return not self.stale and not self.orphaned


def _owned_on_disk(out_dir: Path, package: str) -> set[str]:
    """Files the generator owns: those in the manifest, plus any file inside the generated package."""
    owned = set(read_manifest(out_dir))
    pkg = out_dir / package
    if pkg.is_dir():
        for p in pkg.rglob("*"):
            if p.is_file() and "__pycache__" not in p.parts and not p.name.endswith((".pyc", ".pyo")):
                owned.add(p.relative_to(out_dir).as_posix())
    return {p for p in owned if (out_dir / p).is_file()}


def drift(files: Mapping[str, str], out_dir: Path, package: str) -> Drift:
    stale: list[str] = []
    chunks: list[str] = []
    for path, text in sorted(files.items()):
        target = out_dir / path
        current = read_text(target)
        if current != text:
            stale.append(path)
            chunks.extend(
                difflib.unified_diff(
                    (current or "").splitlines(keepends=True),
                    text.splitlines(keepends=True),
                    f"a/{path}" if current is not None else "/dev/null",
                    f"b/{path}",
                )
            )
    orphaned = sorted(_owned_on_disk(out_dir, package) - set(files))
    for path in orphaned:
        chunks.append(f"Only in {out_dir}: {path} (not generated; `make generate` removes it)\n")
    return Drift(tuple(stale), tuple(orphaned), "".join(chunks))


def manifest_text(formatted: Formatted) -> str:
    entries: dict[str, dict[str, object]] = {}
    for path, text in formatted.files.items():
        entry: dict[str, object] = {"rendered": formatted.rendered[path], "sha256": sha(text)}
        if path in formatted.members:
            entry["members"] = formatted.members[path]
        if path in formatted.pristine:
            entry["pristine"] = formatted.pristine[path]
        entries[path] = entry
    return json.dumps({"generator": "docgen-py", "files": entries}, indent=1, sort_keys=True) + "\n"


def _fsync_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())


@contextlib.contextmanager
def _locked(out_dir: Path) -> Iterator[None]:
    """Hold an exclusive advisory lock on ``out_dir`` itself (no lock file to leave behind).

    Writers and recovery take it, so that one command never finishes or discards a staging
    directory another one is still filling.
    """
    if sys.platform == "win32":  # pragma: no cover - no flock; runs there are not serialised
        yield
        return
    import fcntl

    fd = os.open(out_dir, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def recover(out_dir: Path) -> None:
    """Finish or discard an interrupted write, so the tree is the old or the new one, whole.

    The tree as a command sees it after this call is what "the generated tree" means: a run
    killed before its COMMIT file was in place left the old tree, a run killed after it left
    the new one (and this call finishes moving it into place). ``generate`` and ``check`` both
    call it first.
    """
    if not (out_dir / _STAGING).exists():
        return
    with _locked(out_dir):
        _recover(out_dir)


def _recover(out_dir: Path) -> None:
    staging = out_dir / _STAGING
    if not staging.exists():
        return
    if (staging / _COMMIT).is_file():
        _roll_forward(out_dir, staging)
    else:
        shutil.rmtree(staging)


def _roll_forward(out_dir: Path, staging: Path) -> None:
    """Move the staged files into place and delete the removed ones; idempotent, so a run killed
    here is finished by the next ``recover``. The COMMIT file goes last."""
    plan = json.loads((staging / _COMMIT).read_text())
    for path in plan["write"]:
        src = staging / "files" / path
        if src.exists():
            (out_dir / path).parent.mkdir(parents=True, exist_ok=True)
            os.replace(src, out_dir / path)
    for path in plan["remove"]:
        try:
            (out_dir / path).unlink()
        except FileNotFoundError:
            pass
        _prune_empty_dirs(out_dir, (out_dir / path).parent)
    shutil.rmtree(staging / "files", ignore_errors=True)
    (staging / _COMMIT).unlink()
    shutil.rmtree(staging)


def _prune_empty_dirs(root: Path, start: Path) -> None:
    d = start
    while d != root and d.is_dir() and root in d.parents:
        leftovers = [p for p in d.iterdir() if p.name != "__pycache__"]
        if leftovers:
            return
        shutil.rmtree(d)
        d = d.parent


def apply(formatted: Formatted, out_dir: Path, package: str) -> tuple[list[str], list[str], int]:
    """Replace the generated tree: (written, removed, unchanged count).

    Every new file is first written under a staging directory; a COMMIT file listing the plan is
    written last, and only then are files moved into place. An interrupted run is finished (after
    COMMIT) or discarded (before it) by ``recover``.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    with _locked(out_dir):
        _recover(out_dir)
        files = dict(formatted.files)
        files[MANIFEST] = manifest_text(formatted)
        write = [p for p, t in files.items() if not _same(out_dir / p, t)]
        remove = sorted(_owned_on_disk(out_dir, package) - set(files))
        if not write and not remove:
            return [], [], len(files)
        staging = out_dir / _STAGING
        for path in write:
            _fsync_write(staging / "files" / path, files[path])
        # The plan becomes visible all at once: a COMMIT file is either absent or complete.
        _fsync_write(staging / (_COMMIT + ".tmp"), json.dumps({"write": write, "remove": remove}))
        os.replace(staging / (_COMMIT + ".tmp"), staging / _COMMIT)
        _fsync_dir(staging)
        _roll_forward(out_dir, staging)
    return [p for p in write if p != MANIFEST], remove, len(files) - len(write)


def _fsync_dir(path: Path) -> None:
    """Make a rename inside ``path`` durable (a no-op where directories cannot be opened)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # pragma: no cover - e.g. Windows
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - some filesystems refuse fsync on directories
        pass
    finally:
        os.close(fd)


def _same(path: Path, text: str) -> bool:
    return read_text(path) == text


def read_text(path: Path) -> str | None:
    """A file's exact text (no newline translation), or None when it is missing or not text."""
    try:
        with open(path, encoding="utf-8", newline="") as f:
            return f.read()
    except (OSError, UnicodeDecodeError):
        return None
