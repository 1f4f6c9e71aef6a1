"""Command line: ``docgen generate|check|report|export`` (also ``python -m generator``)."""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
from pathlib import Path
from typing import TextIO, cast

from generator.config import Config, Settings, load_project
from generator.diagnostics import Diagnostic, Level, format_diagnostic
from generator.pipeline import generate
from generator.write import apply, drift

__all__ = ["EXIT_FAILED", "EXIT_OK", "EXIT_USAGE", "main"]

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

_EPILOG = """\
configuration:
  [tool.docgen] in the nearest pyproject.toml sets specs, output, package, templates,
  line-length and version; the flags above override it.

exit status:
  0  success (check: the output tree is up to date)
  1  drift (check), or errors in the docs or the configuration (nothing is written)
  2  usage error (unknown command or option)
"""


def _parser() -> argparse.ArgumentParser:
    source = argparse.ArgumentParser(add_help=False)
    source.add_argument("--specs", type=Path, default=None, help="the specs manifest (default: specs/specs.toml)")
    source.add_argument("--package", default=None, help="the generated package's name (default: openai_api)")
    source.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    source.add_argument("-v", "--verbose", action="store_true", help="print warnings too")
    output = argparse.ArgumentParser(add_help=False)
    output.add_argument("--out", type=Path, default=None, help="output directory (default: generated)")
    output.add_argument("--templates", type=Path, default=None, help="directory of template overrides")
    output.add_argument("--line-length", type=int, default=None, help="line length of the generated code")
    output.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1), help="formatting processes")
    output.add_argument("--diff", action="store_true", help="generate: also print the unified diff of what it changes")
    output.add_argument(
        "--discard-custom",
        action="store_true",
        help="drop code added by hand to generated modules instead of carrying it into the new output",
    )
    parser = argparse.ArgumentParser(
        prog="docgen",
        description="Generate a typed Python package from API reference docs written in markdown.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, text in (
        ("generate", "rebuild the output tree from the specs (all or nothing; keeps hand-added class members)"),
        ("check", "exit 1 with a unified diff when the output tree is stale (the drift check)"),
        ("report", "the consistency report: every warning about the docs, grouped by kind"),
    ):
        sub.add_parser(
            name,
            parents=[source, output],
            help=text,
            description=text,
            epilog=_EPILOG,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
    export = sub.add_parser(
        "export",
        parents=[source],
        help="write the type graph as JSON, JSON Schema 2020-12 or OpenAPI 3.1",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    export.add_argument("--format", choices=("json", "jsonschema", "openapi"), default="json", help="what to write")
    export.add_argument("--output", type=Path, default=None, help="file to write (default: standard output)")
    return parser


def _settings(args: argparse.Namespace) -> Settings:
    return Settings(
        specs=args.specs,
        output=getattr(args, "out", None),
        package=args.package,
        templates=getattr(args, "templates", None),
        line_length=getattr(args, "line_length", None),
    )


def _print_diagnostics(diagnostics: list[Diagnostic], verbose: bool) -> None:
    for d in diagnostics:
        if d.level is Level.ERROR or verbose:
            print(format_diagnostic(d), file=sys.stderr)


def _export(args: argparse.Namespace) -> int:
    """``docgen export``: read and link the specs (nothing is rendered or formatted), print one document."""
    from generator.export import export
    from generator.pipeline import build_api

    config, diagnostics = load_project(Path.cwd(), _settings(args))
    api, found = build_api(config) if config is not None and not _errors(diagnostics) else (None, [])
    diagnostics = [*diagnostics, *found]
    _print_diagnostics(diagnostics, args.verbose)
    errors = _errors(diagnostics)
    if api is None or errors:
        print(f"docgen: {errors} error(s); nothing was exported", file=sys.stderr)
        return EXIT_FAILED
    text = export(api, args.format)
    if args.output is None:
        sys.stdout.write(text)
    else:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8")
    return EXIT_OK


_KINDS = {
    "W120": "references to types the docs never define (kept as plain JSON)",
    "W201": "entries of a collapsed page whose parent is in doubt (the cheapest nesting was chosen)",
    "W202": "types a collapsed page expands differently in different places (the majority reading was kept)",
    "W301": "types two pages describe differently (the page of higher priority was kept)",
    "W303": "fields, variants or literal values a scraped page gives a type the markdown pages define without them",
}


def _report(diagnostics: list[Diagnostic]) -> int:
    """Print every finding grouped by kind, with counts; errors make the exit status 1."""
    by_code: dict[str, list[Diagnostic]] = {}
    for d in diagnostics:
        by_code.setdefault(d.code, []).append(d)
    for code in sorted(by_code):
        found = by_code[code]
        print(f"## {code}: {len(found)} — {_KINDS.get(code, found[0].message)}")
        for d in found:
            print(format_diagnostic(d).splitlines()[0])
        print()
    errors = _errors(diagnostics)
    print(f"docgen: {len(diagnostics)} finding(s), {errors} error(s)")
    return EXIT_FAILED if errors else EXIT_OK


def _errors(diagnostics: list[Diagnostic]) -> int:
    return sum(d.level is Level.ERROR for d in diagnostics)


class _Progress:
    """A one-line bar on a terminal (stdout only; nothing at all when it is a pipe or a file)."""

    def __init__(self, stream: TextIO, enabled: bool) -> None:
        self.stream = stream
        self.enabled = enabled and stream.isatty()
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total == 0:
            return
        width = 30
        filled = width * done // total
        self.stream.write(f"\rformatting [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        self.stream.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False


def _summary(
    config: Config,
    command: str,
    files: str,
    result_api: object,
    diagnostics: list[Diagnostic],
    elapsed: float,
    extra: list[str],
) -> str:
    """The one-screen summary: files, types, endpoints, diagnostics by level, time."""
    from generator import ir

    assert isinstance(result_api, ir.Api)
    definitions = sum(len(m.definitions) for m in result_api.modules)
    errors = _errors(diagnostics)
    warnings = len(diagnostics) - errors
    try:
        shown = config.out_dir.relative_to(Path.cwd().resolve()).as_posix() or "."
    except ValueError:
        shown = str(config.out_dir)
    lines = [
        f"docgen: {files}",
        f"  output       {shown}/ (package {config.package})",
        f"  types        {definitions} definitions in {len(result_api.modules)} modules",
        f"  endpoints    {len(result_api.endpoints)}",
        f"  diagnostics  {errors} error(s), {warnings} warning(s)" + ("" if not warnings else " (-v prints them)"),
        *extra,
        f"  time         {elapsed:.2f}s ({command})",
    ]
    return "\n".join(lines)


class _Stdout(io.TextIOBase):
    """Standard output that its reader may close early (`docgen check | head`): the run still
    finishes (and `generate` still writes), the rest of the output goes nowhere."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.gone = False

    def write(self, text: str) -> int:
        if not self.gone:
            try:
                self.out.write(text)
            except BrokenPipeError:
                self._drop()
        return len(text)

    def flush(self) -> None:
        if not self.gone:
            try:
                self.out.flush()
            except BrokenPipeError:
                self._drop()

    def isatty(self) -> bool:
        return not self.gone and self.out.isatty()

    def _drop(self) -> None:
        self.gone = True
        try:
            # The interpreter flushes stdout once more at exit; point it at /dev/null so that flush
            # does not print "Exception ignored … BrokenPipeError" either.
            os.dup2(os.open(os.devnull, os.O_WRONLY), self.out.fileno())
        except (OSError, ValueError):  # not a real file (a test's capture): nothing left to flush
            pass


def main(argv: list[str] | None = None) -> int:
    out = sys.stdout
    sys.stdout = cast(TextIO, _Stdout(out))
    try:
        return _main(argv)
    finally:
        sys.stdout = out


def _main(argv: list[str] | None) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:
        return EXIT_USAGE if exc.code not in (0, None) else EXIT_OK
    if args.command == "export":
        return _export(args)
    started = time.perf_counter()
    config, diagnostics = load_project(Path.cwd(), _settings(args))
    if config is None or _errors(diagnostics):
        _print_diagnostics(diagnostics, args.verbose)
        print(f"docgen: {_errors(diagnostics)} error(s) in the configuration; nothing was written", file=sys.stderr)
        return EXIT_FAILED
    if args.command == "report":
        from generator.pipeline import build_api

        return _report([*diagnostics, *build_api(config)[1]])
    progress = _Progress(sys.stdout, enabled=not args.quiet)
    try:
        result = generate(config, jobs=args.jobs, progress=progress)
    finally:
        progress.clear()
    diagnostics = [*diagnostics, *result.diagnostics]
    formatted = result.formatted
    if formatted is not None and not args.discard_custom:
        from generator.custom import carry

        formatted, found = carry(formatted, config.out_dir)
        diagnostics.extend(found)
    _print_diagnostics(diagnostics, args.verbose)
    errors = _errors(diagnostics)
    if formatted is None or result.api is None or errors:
        print(f"docgen: {errors} error(s); nothing was written", file=sys.stderr)
        return EXIT_FAILED
    carried = sorted(formatted.pristine)
    extra = [f"  custom code  kept in {len(carried)} file(s): {', '.join(carried)}"] if carried else []
    if args.command == "check":
        found_drift = drift(formatted.files, config.out_dir, config.package)
        if not found_drift.clean:
            if not args.quiet:
                sys.stdout.write(found_drift.diff)
            print(
                f"docgen: {len(found_drift.stale)} stale and {len(found_drift.orphaned)} orphaned file(s) in "
                f"{config.out_dir}; run `make generate`",
                file=sys.stderr,
            )
            return EXIT_FAILED
        if not args.quiet:
            files = f"{config.out_dir.name}/ is up to date ({len(formatted.files)} files)"
            print(_summary(config, "check", files, result.api, diagnostics, time.perf_counter() - started, extra))
        return EXIT_OK
    if args.diff and not args.quiet:
        sys.stdout.write(drift(formatted.files, config.out_dir, config.package).diff)
    written, removed, unchanged = apply(formatted, config.out_dir, config.package)
    if not args.quiet:
        files = (
            f"{len(written)} written, {len(removed)} removed, {unchanged} unchanged "
            f"({formatted.formatted_count} formatted)"
        )
        print(_summary(config, "generate", files, result.api, diagnostics, time.perf_counter() - started, extra))
    return EXIT_OK
