"""The generation cache: a run whose inputs are all unchanged skips reading, linking, rendering and formatting.

The inputs of a generation are the specs manifest and the pages it feeds to the generator, the
generator's own source and templates, the output settings, and the versions of the libraries
that shape the output. Their hash is the key; a run stores, under that key, the type graph, the
diagnostics and the hash of the manifest (``.docgen-manifest.json``) it produced. A later run
with the same key, over an output tree whose manifest and files are still exactly that
generation's (every file's sha256 is checked), takes the files from disk as they are.

Anything else (a spec edit, a generator or template change, a hand-edited or missing output
file, a different library version) is a miss, and the full pipeline runs. The cache lives in
``<output>/__pycache__/`` — ignored by git and by the drift check, like Python's own caches —
so a fresh clone never has one. It is one JSON header line (the key) and a pickle, read only
when the key matches; it is trusted like the ``.pyc`` files next to it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.util
import io
import json
import os
import pickle
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from generator import diagnostics as diagnostics_module
from generator import ir
from generator.config import Config
from generator.diagnostics import Diagnostic
from generator.write import MANIFEST, Formatted, manifest_text, read_text, sha

__all__ = ["CACHE_FILE", "Hit", "inputs_key", "lookup", "store"]

CACHE_FILE = Path("__pycache__") / "docgen-generation.pickle"
_VERSION = 2
_LIBRARIES = {"jinja2": "jinja2", "markdown-it-py": "markdown_it", "black": "black", "libcst": "libcst"}
"""Distributions that shape the output, and a module each provides."""


@dataclass(frozen=True, slots=True)
class Hit:
    api: ir.Api
    formatted: Formatted
    diagnostics: tuple[Diagnostic, ...]


def _tree_files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(
        p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts and not p.name.endswith(".pyc")
    )


def _generator_files() -> list[Path]:
    """The generator's source and its built-in templates (installed, or beside the package in a checkout)."""
    here = Path(__file__).resolve().parent
    return [*_tree_files(here), *_tree_files(here.parent / "templates")]


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def _installed(dist: str, module: str) -> str:
    """The installed version of ``dist``: its ``.dist-info`` directory name, found without importing
    anything (``importlib.metadata`` alone costs more than this whole cache lookup)."""
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        return "-"
    origin = Path(spec.origin)
    site = origin.parent.parent if spec.submodule_search_locations else origin.parent
    own = re.compile(re.escape(_normal(dist)) + r"_\d")
    try:
        found = sorted(e for e in os.listdir(site) if e.endswith(".dist-info") and own.match(_normal(e)))
    except OSError:
        found = []
    if found:
        return ",".join(found)
    from importlib import metadata

    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "-"


def inputs_key(config: Config) -> str:
    """The hash of everything a generation's output depends on."""
    h = hashlib.sha256()

    def add(label: str, data: bytes) -> None:
        h.update(f"{label}\0{len(data)}\0".encode())
        h.update(data)

    add("cache", str(_VERSION).encode())
    add("python", sys.version.encode())
    for dist, module in _LIBRARIES.items():
        add(dist, _installed(dist, module).encode())
    for path in _generator_files():
        add(f"generator:{path.as_posix()}", path.read_bytes())
    if config.template_dir is not None:
        for path in _tree_files(config.template_dir):
            add(f"template:{path.as_posix()}", path.read_bytes())
    settings = [config.package, str(config.out_dir), config.line_length, str(config.template_dir), config.version]
    add("settings", json.dumps(settings).encode())
    add("manifest", config.manifest.read_bytes())
    for page in config.pages:
        add("page", json.dumps([page.display, page.flavour, page.read, str(page.path)]).encode())
        if page.read:
            add("text", page.path.read_bytes())
    return h.hexdigest()


def _field_reducers() -> dict[type, Callable[[object], tuple[object, ...]]]:
    """Pickle the IR's frozen dataclasses as ``cls(*fields)``: unpickling them field by field (the
    dataclass default for slotted classes) costs three times as much, and a hit is meant to be quick."""
    table: dict[type, Callable[[object], tuple[object, ...]]] = {}
    for module in (ir, diagnostics_module):
        for value in vars(module).values():
            if not (isinstance(value, type) and dataclasses.is_dataclass(value)):
                continue
            fields = dataclasses.fields(value)
            if any(not f.init for f in fields):
                continue
            names = tuple(f.name for f in fields)

            def reduce(obj: object, names: tuple[str, ...] = names) -> tuple[object, ...]:
                return (type(obj), tuple(getattr(obj, n) for n in names))

            table[value] = reduce
    return table


def _dumps(value: object) -> bytes:
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _field_reducers()  # type: ignore[assignment]
    pickler.dump(value)
    return buffer.getvalue()


def lookup(config: Config, key: str) -> Hit | None:
    """The stored generation for ``key``, when the output tree on disk is exactly that generation."""
    try:
        with open(config.out_dir / CACHE_FILE, "rb") as f:
            header = json.loads(f.readline())
            if header != {"version": _VERSION, "key": key, "manifest": header.get("manifest")}:
                return None
            manifest = read_text(config.out_dir / MANIFEST)
            if manifest is None or sha(manifest) != header["manifest"]:
                return None
            entries = json.loads(manifest)["files"]
            files: dict[str, str] = {}
            rendered: dict[str, str] = {}
            members: dict[str, dict[str, str]] = {}
            for path, entry in sorted(entries.items()):
                text = read_text(config.out_dir / path)
                if text is None or sha(text) != entry["sha256"] or "pristine" in entry:
                    return None
                files[path] = text
                rendered[path] = entry["rendered"]
                if "members" in entry:
                    members[path] = entry["members"]
            api, found = pickle.loads(f.read())
        return Hit(api, Formatted(files, rendered, 0, members), tuple(found))
    except Exception:  # noqa: BLE001 - a missing, stale, truncated or foreign cache is a miss
        return None


def store(config: Config, key: str, api: ir.Api, formatted: Formatted, diagnostics: tuple[Diagnostic, ...]) -> None:
    """Remember this generation's result; best effort (a read-only or missing output directory is fine)."""
    if not config.out_dir.is_dir():
        return
    header = {"version": _VERSION, "key": key, "manifest": sha(manifest_text(formatted))}
    target = config.out_dir / CACHE_FILE
    temp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    try:
        target.parent.mkdir(exist_ok=True)
        temp.write_bytes(json.dumps(header).encode() + b"\n" + _dumps((api, list(diagnostics))))
        os.replace(temp, target)
    except OSError:
        temp.unlink(missing_ok=True)
