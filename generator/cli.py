"""Command line: ``docgen generate`` and ``docgen check`` (also ``python -m generator``)."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from generator.config import load_config
from generator.diagnostics import Level, format_diagnostic
from generator.pipeline import generate
from generator.write import apply, drift

__all__ = ["main"]

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--specs", type=Path, default=Path("specs/specs.toml"), help="the specs manifest")
    common.add_argument("--out", type=Path, default=None, help="output directory (default: from the manifest)")
    common.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1), help="formatting processes")
    common.add_argument("-q", "--quiet", action="store_true", help="print only diagnostics and errors")
    parser = argparse.ArgumentParser(prog="docgen", description="Generate a typed Python package from API docs.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("generate", parents=[common], help="regenerate the output tree from the specs")
    sub.add_parser("check", parents=[common], help="exit 1 with a diff when the output tree is stale")
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:
        return EXIT_USAGE if exc.code not in (0, None) else EXIT_OK
    started = time.perf_counter()
    config, diagnostics = load_config(args.specs, Path.cwd())
    if config is not None and args.out is not None:
        from dataclasses import replace

        config = replace(config, out_dir=args.out.resolve())
    result = generate(config, jobs=args.jobs) if config is not None else None
    if result is not None:
        diagnostics = [*diagnostics, *result.diagnostics]
    for d in diagnostics:
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
