"""Coverage-guided fuzzing of the reader, parser and linker with atheris (libFuzzer).

    .venv/bin/pip install atheris           # not a project dependency
    .venv/bin/python -m tests.fuzz_atheris [libFuzzer flags] [corpus dir ...]
    make fuzz-atheris                        # the same, for 10 minutes, on a seed corpus

An input starting with byte 0x01 is a type expression for ``parse_signature`` (only ``ExprError`` may
come out); anything else is a docs page, built (and rendered when it builds cleanly) with the same
checks as ``tests/test_fuzz.py``. With no corpus directory given, a temporary one is seeded with a
400-line slice of the real page, the pages of ``tests/bad/`` and a few signatures. A crash leaves a
``crash-*`` file: add it to ``tests/bad/`` (as ``*.md``) with its snapshot (``make snapshots``).

Without atheris the module still imports (the test suite runs ``one_input`` on the seeds).
"""

from __future__ import annotations

import contextlib
import sys
import tempfile
from pathlib import Path
from typing import Any

try:
    import atheris
except ImportError:  # pragma: no cover - atheris is optional
    atheris = None

_instrumented: Any = atheris.instrument_imports() if atheris is not None else contextlib.nullcontext()
with _instrumented:
    # The pipeline imports its stages on first use; import them here, so that they are instrumented.
    import generator.link
    import generator.read.markdown
    import generator.render  # noqa: F401
    from generator.flavours.http import ExprError, parse_signature
    from tests.snapshot import BAD
    from tests.test_fuzz import SLICE, build_page

SIGNATURE = 0x01
_WORKDIR = Path(tempfile.mkdtemp(prefix="docgen-atheris-"))


def one_input(data: bytes) -> None:
    if data[:1] == bytes([SIGNATURE]):
        text = data[1:].decode("utf-8", "replace")
        try:
            parse_signature(text)
        except ExprError as exc:
            assert 0 <= exc.offset <= len(text), (exc.offset, len(text))
        return
    build_page(data, _WORKDIR)


def seeds() -> list[bytes]:
    pages = ["".join(SLICE).encode(), *(p.read_bytes() for p in sorted(BAD.glob("*.md")))]
    signatures = [
        'model: "gpt-5.4" or "gpt-5.4-mini" or 89 more or string',
        "input: optional string or array of EasyInputMessage or object { content, role } or 27 more",
        "x: map[array of string or number]",
        "Click object { button, type, x, 2 more }",
        "TextInput = string",
    ]
    return pages + [bytes([SIGNATURE]) + s.encode() for s in signatures]


def main(argv: list[str]) -> None:
    if atheris is None:
        sys.exit("atheris is not installed: .venv/bin/pip install atheris")
    if not any(not a.startswith("-") for a in argv[1:]):
        corpus = Path(tempfile.mkdtemp(prefix="docgen-corpus-"))
        for i, seed in enumerate(seeds()):
            (corpus / f"seed-{i:03d}").write_bytes(seed)
        argv = [*argv, str(corpus)]
    atheris.Setup(argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv)
