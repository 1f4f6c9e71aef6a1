"""Command line: ``docgen generate``, ``docgen check`` and ``docgen export`` (also ``python -m generator``)."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from generator.config import load_config
from generator.diagnostics import Diagnostic, Level, format_diagnostic
from generator.pipeline import generate
from generator.write import apply, drift

__all__ = ["main"]

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--specs", type=Path, default=Path("specs/specs.toml"), help="the specs manifest")
    common.add_argument("--out", type=Path, default=None, help="output directory (default: from the manifest)")
    common.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1), help="formatting processes")
    common.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    common.add_argument("-v", "--verbose", action="store_true", help="print warnings too (`report` groups them)")
    parser = argparse.ArgumentParser(prog="docgen", description="Generate a typed Python package from API docs.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("generate", parents=[common], help="regenerate the output tree from the specs")
    sub.add_parser("check", parents=[common], help="exit 1 with a diff when the output tree is stale")
    sub.add_parser(
        "report", parents=[common], help="the consistency report: every warning about the docs, grouped by kind"
    )
    export = sub.add_parser("export", help="write the type graph as JSON, JSON Schema 2020-12 or OpenAPI 3.1")
    export.add_argument("--specs", type=Path, default=Path("specs/specs.toml"), help="the specs manifest")
    export.add_argument("--format", choices=("json", "jsonschema", "openapi"), default="json", help="what to write")
    export.add_argument("--output", type=Path, default=None, help="file to write (default: standard output)")
    export.add_argument("-v", "--verbose", action="store_true", help="print warnings too")
    return parser


def _export(args: argparse.Namespace) -> int:
    """``docgen export``: read and link the specs (nothing is rendered or formatted), print one document."""
    from generator.export import export
    from generator.pipeline import build_api

    config, diagnostics = load_config(args.specs, Path.cwd())
    api, found = build_api(config) if config is not None else (None, [])
    diagnostics = [*diagnostics, *found]
    for d in diagnostics:
        if d.level is Level.ERROR or args.verbose:
            print(format_diagnostic(d), file=sys.stderr)
    errors = sum(d.level is Level.ERROR for d in diagnostics)
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
    errors = sum(d.level is Level.ERROR for d in diagnostics)
    print(f"docgen: {len(diagnostics)} finding(s), {errors} error(s)")
    return EXIT_FAILED if errors else EXIT_OK


def main(argv: list[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:
        return EXIT_USAGE if exc.code not in (0, None) else EXIT_OK
    if args.command == "export":
        return _export(args)
    started = time.perf_counter()
    config, diagnostics = load_config(args.specs, Path.cwd())
    if config is not None and args.out is not None:
        from dataclasses import replace

        config = replace(config, out_dir=args.out.resolve())
    if args.command == "report" and config is not None:
        from generator.pipeline import build_api

        return _report([*diagnostics, *build_api(config)[1]])
    result = generate(config, jobs=args.jobs) if config is not None else None
    if result is not None:
        diagnostics = [*diagnostics, *result.diagnostics]
    for d in diagnostics:
        if d.level is Level.ERROR or args.verbose:
            print(format_diagnostic(d), file=sys.stderr)
    errors = sum(d.level is Level.ERROR for d in diagnostics)
    if config is None or result is None or result.formatted is None or errors:
        print(f"docgen: {errors} error(s); nothing was written", file=sys.stderr)
        return EXIT_FAILED
    api = result.api
    assert api is not None
    summary = f"{len(api.modules)} type modules, {len(api.endpoints)} endpoint(s)"
    if args.command == "check":
        found = drift(result.formatted.files, config.out_dir, config.package)
        if not found.clean:
            sys.stdout.write(found.diff)
            print(
                f"docgen: {len(found.stale)} stale and {len(found.orphaned)} orphaned file(s) in "
                f"{config.out_dir}; run `make generate`",
                file=sys.stderr,
            )
            return EXIT_FAILED
        if not args.quiet:
            print(f"docgen: {config.out_dir} is up to date ({summary})")
        return EXIT_OK
    written, removed, unchanged = apply(result.formatted, config.out_dir, config.package)
    if not args.quiet:
        elapsed = time.perf_counter() - started
        print(
            f"docgen: {len(written)} written, {len(removed)} removed, {unchanged} unchanged; {summary}; "
            f"{result.formatted.formatted_count} formatted; {len(diagnostics)} diagnostic(s); {elapsed:.2f}s"
        )
    return EXIT_OK
