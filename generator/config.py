"""The specs manifest (``specs/specs.toml``) and ``[tool.docgen]`` settings."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from generator.diagnostics import Diagnostic, Level, Span

__all__ = ["FLAVOURS", "Config", "PageSpec", "load_config"]

FLAVOURS = ("http", "python-collapsed", "ruby-collapsed", "java-text", "python-text")
"""Flavours the manifest may name; which of them the generator can read is up to the pipeline."""


@dataclass(frozen=True, slots=True)
class PageSpec:
    path: Path
    """Absolute path of the page."""
    display: str
    """The path as shown in diagnostics and headers (relative to the project root)."""
    flavour: str
    read: bool
    """False keeps the page in ``specs/`` without feeding it to the generator yet."""


@dataclass(frozen=True, slots=True)
class Config:
    manifest: Path
    package: str
    out_dir: Path
    pages: tuple[PageSpec, ...]
    line_length: int = 120
    template_dir: Path | None = None


def _display(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def load_config(manifest: Path, root: Path) -> tuple[Config | None, list[Diagnostic]]:
    """Read the specs manifest; ``root`` is the directory paths are shown relative to."""
    shown = _display(manifest, root)
    try:
        data = tomllib.loads(manifest.read_text(encoding="utf-8"))
    except OSError as exc:
        return None, [
            Diagnostic(Level.ERROR, "E001", f"cannot read the specs manifest: {exc.strerror}", Span(shown, 1, 1))
        ]
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", 1) or 1
        col = getattr(exc, "colno", 1) or 1
        return None, [Diagnostic(Level.ERROR, "E002", f"invalid TOML: {exc}", Span(shown, line, col))]
    diagnostics: list[Diagnostic] = []
    output = data.get("output", {})
    package = output.get("package", "openai_api")
    if not isinstance(package, str) or not package.isidentifier():
        diagnostics.append(
            Diagnostic(Level.ERROR, "E003", f"output.package {package!r} is not a Python name", Span(shown, 1, 1))
        )
    base = manifest.parent
    out_dir = (base / output.get("directory", "../generated")).resolve()
    pages: list[PageSpec] = []
    for i, page in enumerate(data.get("page", [])):
        path = page.get("path")
        flavour = page.get("flavour")
        if not isinstance(path, str) or flavour not in FLAVOURS:
            diagnostics.append(
                Diagnostic(
                    Level.ERROR,
                    "E004",
                    f"page #{i + 1} needs a `path` and a `flavour` " f"(one of {', '.join(FLAVOURS)})",
                    Span(shown, 1, 1),
                )
            )
            continue
        full = base / path
        pages.append(PageSpec(full, _display(full, root), flavour, bool(page.get("read", True))))
    # Sorted, so that the order pages are listed in cannot change the output.
    pages.sort(key=lambda p: p.display)
    return Config(manifest, package, out_dir, tuple(pages)), diagnostics
