"""A per-user cache of read pages: rebuilding a collapsed page's nesting takes seconds, reading it back does not.

Like black's cache in ``~/.cache/black``: keyed by the page's text, its name, its flavour, what the
intact pages tell about its types, and the source of every module that reads pages, so any
change to one of them misses. ``DOCGEN_CACHE_DIR`` moves it; ``DOCGEN_CACHE_DIR=off`` turns it off.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TypeVar

__all__ = ["cached"]

T = TypeVar("T")
_READER_SOURCES = ("read", "flavours")


def _cache_dir() -> Path | None:
    setting = os.environ.get("DOCGEN_CACHE_DIR")
    if setting == "off":
        return None
    if setting:
        return Path(setting)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "docgen-py" / "pages"


def _readers_digest() -> str:
    here = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for folder in _READER_SOURCES:
        for path in sorted((here / folder).glob("*.py")):
            h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def cached(parts: Mapping[str, object], compute: Callable[[], T]) -> T:
    """``compute()``, or its stored result for the same ``parts`` (and the same reader sources)."""
    folder = _cache_dir()
    if folder is None:
        return compute()
    key = hashlib.sha256(repr(sorted(parts.items())).encode() + _readers_digest().encode()).hexdigest()
    path = folder / f"{key}.pickle"
    try:
        with open(path, "rb") as f:
            value: T = pickle.load(f)
        return value
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
        pass
    value = compute()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # Written whole or not at all: a reader never sees half a file.
        with tempfile.NamedTemporaryFile(dir=folder, delete=False, suffix=".tmp") as tmp:
            pickle.dump(value, tmp, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp.name, path)
    except OSError:
        pass  # a read-only home is no reason to fail
    return value
