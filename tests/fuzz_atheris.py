"""Coverage-guided fuzzing of the reader, parser and linker with atheris (libFuzzer).

    .venv/bin/pip install atheris           # not a project dependency
    .venv/bin/python -m tests.fuzz_atheris [libFuzzer flags] [corpus dir ...]
    make fuzz-atheris                        # the same, for 10 minutes, on a seed corpus

The first byte picks what an input is: 0x01, 0x02, 0x03 a type expression for the HTTP, Python or Ruby
``parse_signature`` (only ``ExprError`` may come out); 0x04 to 0x07 a page of the python-collapsed,
ruby-collapsed, python or ruby flavour; anything else an HTTP page. Pages are built (and rendered when
they build cleanly) with the same checks as ``tests/test_fuzz.py``. With no corpus directory given, a
temporary one is seeded with slices of the real pages, the pages of ``tests/bad/`` and a few signatures. A crash leaves a
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
    import generator.read.collapsed
    import generator.read.markdown
    import generator.read.nesting
    import generator.render  # noqa: F401
    from generator.flavours import http, python, ruby
    from generator.flavours.tokens import ExprError
    from tests.snapshot import BAD, bad_pages
    from tests.test_fuzz import SLICE, build_page
    from tests.test_fuzz_flavours import SLICES

_PARSERS = {0x01: http.parse_signature, 0x02: python.parse_signature, 0x03: ruby.parse_signature}
_FLAVOURS = {0x04: "python-collapsed", 0x05: "ruby-collapsed", 0x06: "python", 0x07: "ruby"}
_WORKDIR = Path(tempfile.mkdtemp(prefix="docgen-atheris-"))


def one_input(data: bytes) -> None:
    kind = data[0] if data else 0
    parse = _PARSERS.get(kind)
    if parse is not None:
        text = data[1:].decode("utf-8", "replace")
        try:
            parse(text)
        except ExprError as exc:
            assert 0 <= exc.offset <= len(text), (exc.offset, len(text))
        return
    if kind in _FLAVOURS:
        build_page(data[1:], _WORKDIR, _FLAVOURS[kind])
        return
    build_page(data, _WORKDIR)


def seeds() -> list[bytes]:
    by_flavour = {flavour: kind for kind, flavour in _FLAVOURS.items()}
    pages = ["".join(SLICE).encode()]
    for page in bad_pages():
        flavour = page.parent.name if page.parent != BAD else "http"
        pages.append((bytes([by_flavour[flavour]]) if flavour in by_flavour else b"") + page.read_bytes())
    for flavour, (head, pieces) in sorted(SLICES.items()):
        pages.append(bytes([by_flavour[flavour]]) + (head + "".join(pieces)).encode())
    signatures = [
        (0x01, 'model: "gpt-5.4" or "gpt-5.4-mini" or 89 more or string'),
        (0x01, "input: optional string or array of EasyInputMessage or object { content, role } or 27 more"),
        (0x01, "x: map[array of string or number]"),
        (0x01, "Click object { button, type, x, 2 more }"),
        (0x01, "TextInput = string"),
        (0x02, 'model: Optional[Union[str, Literal["gpt-image-1", "b", 3 more], null]]'),
        (0x02, "metadata: Optional[Dict[str, Union[str, float, bool]]]"),
        (0x02, "class ResponseInputText: …"),
        (0x03, "action: Click{ button, type, x, 2 more} | DoubleClick{ keys, type, x, y_} | 6 more"),
        (0x03, 'Model = :"gpt-image-1" | :auto | 3 more'),
        (0x03, "results: Array[Hash[Symbol, String | Float | bool]]"),
    ]
    return pages + [bytes([kind]) + s.encode() for kind, s in signatures]


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
