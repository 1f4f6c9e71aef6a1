"""The specs manifest (``specs/specs.toml``) and ``[tool.docgen]`` settings."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

from generator.diagnostics import Diagnostic, Level, Span

__all__ = ["FLAVOURS", "Config", "PageSpec", "Settings", "find_pyproject", "load_config", "load_project"]

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
    version: str = "0.1.0"
    """The generated package's version (its ``pyproject.toml`` and ``__version__``)."""


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


@dataclass(frozen=True, slots=True)
class Settings:
    """Output settings from ``[tool.docgen]`` or the command line; None leaves the next source in charge."""

    specs: Path | None = None
    output: Path | None = None
    package: str | None = None
    templates: Path | None = None
    line_length: int | None = None
    version: str | None = None


_KEYS = {
    "specs": str,
    "output": str,
    "package": str,
    "templates": str,
    "line-length": int,
    "version": str,
}
"""The ``[tool.docgen]`` keys and their TOML types."""


def find_pyproject(start: Path) -> Path | None:
    """The nearest ``pyproject.toml`` in ``start`` or above it (where black and ruff look too)."""
    for directory in (start, *start.parents):
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def _key_span(text: str, key: str, shown: str) -> Span:
    """Where ``key = …`` stands inside ``[tool.docgen]`` (the table's own line when the key is absent)."""
    inside = False
    table_line = 1
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("["):
            inside = stripped.replace(" ", "") == "[tool.docgen]"
            table_line = number if inside else table_line
        elif inside and stripped.split("=", 1)[0].strip().strip('"') == key:
            return Span(shown, number, line.index(stripped[0]) + 1)
    return Span(shown, table_line, 1)


def read_tool_settings(pyproject: Path, root: Path) -> tuple[Settings, list[Diagnostic]]:
    """``[tool.docgen]`` of ``pyproject``; its paths are relative to the file's directory."""
    shown = _display(pyproject, root)
    try:
        text = pyproject.read_text(encoding="utf-8")
        table = tomllib.loads(text).get("tool", {}).get("docgen", {})
    except OSError as exc:
        return Settings(), [Diagnostic(Level.ERROR, "E020", f"cannot read {shown}: {exc.strerror}", Span(shown, 1, 1))]
    except tomllib.TOMLDecodeError as exc:
        at = Span(shown, getattr(exc, "lineno", 1) or 1, getattr(exc, "colno", 1) or 1)
        return Settings(), [Diagnostic(Level.ERROR, "E002", f"invalid TOML: {exc}", at)]
    diagnostics: list[Diagnostic] = []
    values: dict[str, object] = {}
    for key, value in table.items():
        kind = _KEYS.get(key)
        if kind is None:
            known = ", ".join(_KEYS)
            message = f"unknown key `{key}` in [tool.docgen] (known: {known})"
            diagnostics.append(Diagnostic(Level.ERROR, "E021", message, _key_span(text, key, shown)))
        elif not isinstance(value, kind) or isinstance(value, bool):
            message = f"[tool.docgen] `{key}` must be a {'string' if kind is str else 'whole number'}"
            diagnostics.append(Diagnostic(Level.ERROR, "E022", message, _key_span(text, key, shown)))
        else:
            values[key] = value
    base = pyproject.parent

    def path(key: str) -> Path | None:
        value = values.get(key)
        return base / value if isinstance(value, str) else None

    line_length = values.get("line-length")
    settings = Settings(
        specs=path("specs"),
        output=path("output"),
        package=values.get("package") if isinstance(values.get("package"), str) else None,  # type: ignore[arg-type]
        templates=path("templates"),
        line_length=line_length if isinstance(line_length, int) else None,
        version=values.get("version") if isinstance(values.get("version"), str) else None,  # type: ignore[arg-type]
    )
    return settings, diagnostics


def _overlay(low: Settings, high: Settings) -> Settings:
    pick = {name: getattr(high, name) for name in Settings.__slots__ if getattr(high, name) is not None}
    return replace(low, **pick)


def load_project(cwd: Path, cli: Settings = Settings()) -> tuple[Config | None, list[Diagnostic]]:
    """The configuration a command runs with: command-line flags over ``[tool.docgen]`` of the nearest
    ``pyproject.toml``, over the specs manifest's ``[output]`` table, over the defaults."""
    diagnostics: list[Diagnostic] = []
    settings = Settings()
    pyproject = find_pyproject(cwd)
    if pyproject is not None:
        settings, diagnostics = read_tool_settings(pyproject, cwd)
    settings = _overlay(settings, cli)
    config, found = load_config(settings.specs or cwd / "specs" / "specs.toml", cwd)
    diagnostics.extend(found)
    if config is None:
        return None, diagnostics
    config = replace(
        config,
        out_dir=settings.output.resolve() if settings.output is not None else config.out_dir,
        package=settings.package if settings.package is not None else config.package,
        template_dir=settings.templates.resolve() if settings.templates is not None else None,
        line_length=settings.line_length if settings.line_length is not None else config.line_length,
        version=settings.version if settings.version is not None else config.version,
    )
    where = Span(_display(pyproject, cwd) if pyproject is not None else "<command line>", 1, 1)
    if settings.package is not None and not config.package.isidentifier():
        diagnostics.append(Diagnostic(Level.ERROR, "E003", f"package {config.package!r} is not a Python name", where))
    if not 40 <= config.line_length <= 400:
        message = f"line length {config.line_length} is out of range (40 to 400)"
        diagnostics.append(Diagnostic(Level.ERROR, "E023", message, where))
    if config.template_dir is not None and not config.template_dir.is_dir():
        message = f"the template override directory {_display(config.template_dir, cwd)} does not exist"
        diagnostics.append(Diagnostic(Level.ERROR, "E024", message, where))
    return config, diagnostics
