"""The pipeline: specs manifest → doc entries → type graph → rendered and formatted files."""

from __future__ import annotations

import functools
import hashlib
import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator import cache, ir
from generator.config import Config
from generator.diagnostics import Diagnostic, Level, Span, has_errors
from generator.write import Formatted, format_all, recover

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from generator.link import Dialect
    from generator.read.doc import PageDoc

__all__ = ["Result", "build_api", "generate", "read_pages"]


def _lazy(module: str, name: str) -> Callable[..., Any]:
    """``module.name``, imported on first call: a run the generation cache answers reads no docs, so it
    need not import the readers, parsers and linker (markdown-it and the rest: a quarter of a no-op run)."""

    def call(*args: Any, **kwargs: Any) -> Any:
        return getattr(importlib.import_module(module), name)(*args, **kwargs)

    return call


_READERS = {
    "http": _lazy("generator.read.markdown", "read_markdown"),
    "python": _lazy("generator.read.markdown", "read_markdown"),
    "ruby": _lazy("generator.read.markdown", "read_markdown"),
    "python-collapsed": _lazy("generator.read.collapsed", "read_collapsed"),
    "ruby-collapsed": _lazy("generator.read.collapsed", "read_collapsed"),
    "java-text": _lazy("generator.read.scraped", "read_scraped"),
    "python-text": _lazy("generator.read.scraped", "read_scraped"),
}


def _dialects() -> dict[str, Dialect]:
    """Each flavour's signature parser and conventions; pages of a lower priority number win conflicts."""
    from generator.flavours import http, python, ruby
    from generator.link import Dialect

    py = Dialect(python.parse_signature, qualified_titles=True, priority=1)
    rb = Dialect(ruby.parse_signature, order_gives_optional=True, priority=2)
    # Scraped pages come back from their reader spelled as Python pages, with path-qualified titles.
    text = Dialect(python.parse_signature, qualified_titles=True, priority=3, fieldless_classes=True, local_names=True)
    return {
        "java-text": text,
        "python-text": text,
        "http": Dialect(http.parse_signature, priority=0),
        "python": py,
        "python-collapsed": py,
        "ruby": rb,
        "ruby-collapsed": rb,
    }


@dataclass(frozen=True, slots=True)
class Result:
    api: ir.Api | None
    formatted: Formatted | None
    diagnostics: tuple[Diagnostic, ...]


def _place(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of a byte offset, counting line breaks as markdown-it does."""
    before = data[:offset]
    line_start = max(before.rfind(b"\n"), before.rfind(b"\r")) + 1
    line = len(re.findall(rb"\r\n?|\n", before)) + 1
    return line, len(before[line_start:].decode("utf-8", "replace")) + 1


def _read_page(path: Path, display: str) -> tuple[str | None, Diagnostic | None]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, Diagnostic(Level.ERROR, "E005", f"cannot read the page: {exc.strerror}", Span(display, 1, 1))
    if b"\0" in data:
        line, col = _place(data, data.index(b"\0"))
        return None, Diagnostic(
            Level.ERROR, "E006", "the page is binary (it contains NUL bytes)", Span(display, line, col)
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _place(data, exc.start)
        return None, Diagnostic(Level.ERROR, "E007", "the page is not valid UTF-8", Span(display, line, col))
    # Line breaks as markdown-it sees them (a lone CR is one), so that every stage counts lines alike.
    return text.replace("\r\n", "\n").replace("\r", "\n"), None


def build_api(config: Config) -> tuple[ir.Api | None, list[Diagnostic]]:
    """Read every page the manifest feeds to the generator and link them into one type graph."""
    pages, texts, diagnostics = read_pages(config)
    if not pages:
        diagnostics.append(
            Diagnostic(Level.ERROR, "E009", "no page to generate from", Span(config.manifest.name, 1, 1))
        )
        return None, diagnostics
    from generator.link import link

    api, found = link(config.package, pages, _dialects(), texts)
    diagnostics.extend(found)
    return api, diagnostics


def read_pages(config: Config) -> tuple[list[PageDoc], dict[str, str], list[Diagnostic]]:
    """The pages the manifest feeds to the generator, each file's text, and what reading them found."""
    diagnostics: list[Diagnostic] = []
    pages: list[PageDoc] = []
    texts: dict[str, str] = {}
    known: dict[str, tuple[str, ...]] = {}
    dialects = _dialects()
    # Intact pages first: what their types expand to guides the nesting of the collapsed ones; the
    # scraped pages last, since the names they lack are recovered from all the others.
    rank = {"collapsed": 1, "text": 2}
    for spec in sorted(config.pages, key=lambda p: (rank.get(p.flavour.rsplit("-", 1)[-1], 0), p.display)):
        if not spec.read:
            continue
        reader = _READERS.get(spec.flavour)
        if reader is None:
            diagnostics.append(
                Diagnostic(
                    Level.ERROR,
                    "E008",
                    f"the {spec.flavour!r} flavour cannot be read yet; " "set `read = false` for this page",
                    Span(spec.display, 1, 1),
                )
            )
            continue
        text, problem = _read_page(spec.path, spec.display)
        if problem is not None or text is None:
            diagnostics.extend([problem] if problem else [])
            continue
        if spec.flavour.endswith("-text"):
            page, found = _read_scraped(config, spec.display, text, spec.flavour, pages, texts, dialects)
        elif spec.flavour.endswith("-collapsed"):
            from generator.page_cache import cached

            parse = dialects[spec.flavour].parse
            parts = {"display": spec.display, "flavour": spec.flavour, "text": text, "known": sorted(known.items())}
            page, found = cached(parts, functools.partial(reader, spec.display, text, spec.flavour, parse, dict(known)))
        else:
            page, found = reader(spec.display, text, spec.flavour)
            from generator.read.nesting import expansions

            entries = [e for ep in page.endpoints for sec in ep.sections for e in sec.entries]
            for name, body in expansions(entries, dialects[spec.flavour].parse).items():
                known.setdefault(name, body)
        diagnostics.extend(found)
        pages.append(page)
        texts[spec.display] = text
    return pages, texts, diagnostics


def _read_scraped(
    config: Config,
    display: str,
    text: str,
    flavour: str,
    pages: list[PageDoc],
    texts: dict[str, str],
    dialects: dict[str, Dialect],
) -> tuple[PageDoc, list[Diagnostic]]:
    """A scraped page, read against the type graph of the markdown pages (cached like collapsed pages)."""
    from generator.page_cache import cached

    markdown = [p for p in pages if not p.flavour.endswith("-text")]
    here = Path(__file__).resolve().parent
    linking = [
        hashlib.sha256((here / n).read_bytes()).hexdigest() for n in ("link.py", "graph.py", "naming.py", "ir.py")
    ]
    prior = sorted((p.file, p.flavour, hashlib.sha256(texts[p.file].encode()).hexdigest()) for p in markdown)
    parts = {"display": display, "flavour": flavour, "text": text, "prior": prior, "linker": linking}

    def compute() -> tuple[PageDoc, list[Diagnostic]]:
        from generator.link import link
        from generator.read.scraped import read_scraped

        api = (
            link(config.package, markdown, dialects, {p.file: texts[p.file] for p in markdown})[0] if markdown else None
        )
        inferred = frozenset(p.file for p in markdown if p.flavour.endswith("-collapsed"))
        return read_scraped(display, text, flavour, api, inferred)

    result: tuple[PageDoc, list[Diagnostic]] = cached(parts, compute)
    return result


def _formatter_key(line_length: int) -> str:
    """Everything besides the rendering that decides a formatted file's text."""
    from importlib import metadata

    own = hashlib.sha256(Path(__file__).with_name("format.py").read_bytes()).hexdigest()[:16]
    versions = [metadata.version(d) for d in ("black", "libcst")]
    return f"black={versions[0]} libcst={versions[1]} line_length={line_length} format={own}"


def generate(config: Config, jobs: int = 1, progress: Callable[[int, int], None] | None = None) -> Result:
    """Build, render and format; nothing new is written. Errors leave ``formatted`` empty.

    An earlier run killed while writing is finished or undone first (``write.recover``), so
    the formatter's cache, ``check`` and ``apply`` all see one whole tree, old or new.
    """
    recover(config.out_dir)
    # Unchanged inputs over an untouched tree: the last generation, from disk (see generator/cache.py).
    key = cache.inputs_key(config)
    hit = cache.lookup(config, key)
    if hit is not None:
        return Result(hit.api, hit.formatted, hit.diagnostics)
    pool = _formatter_pool(jobs)
    try:
        api, diagnostics = build_api(config)
        if api is None or has_errors(diagnostics):
            return Result(api, None, tuple(diagnostics))
        from generator.format import format_module
        from generator.render import RenderOptions, render

        options = RenderOptions(
            line_length=config.line_length, template_dir=config.template_dir, version=config.version
        )
        rendered = render(api, options)
        formatter = functools.partial(format_module, line_length=config.line_length)
        formatter_key = _formatter_key(config.line_length)
        formatted = format_all(rendered, config.out_dir, formatter, formatter_key, jobs, pool=pool, progress=progress)
    finally:
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
    cache.store(config, key, api, formatted, tuple(diagnostics))
    return Result(api, formatted, tuple(diagnostics))


def _formatter_pool(jobs: int) -> Executor | None:
    """Formatting processes, started before the docs are read so that they import black meanwhile."""
    if jobs <= 1:
        return None
    from concurrent.futures import ProcessPoolExecutor

    from generator.format import warm

    pool = ProcessPoolExecutor(max_workers=jobs)
    for _ in range(jobs):
        pool.submit(warm)
    return pool
