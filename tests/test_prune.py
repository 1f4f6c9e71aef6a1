"""Import pruning with ``ast`` gives what the libcst reference gives, after black, on every module we render."""

from __future__ import annotations

import black
import pytest

from generator.format import _Fallback, _prune_with_ast, format_module, prune_imports, prune_imports_libcst
from generator.render import RenderOptions, render
from tests.snapshot import current_api

MODE = black.Mode(line_length=120, target_versions={black.TargetVersion.PY311})


def formatted(source: str) -> str:
    return black.format_str(source, mode=MODE)


def assert_same_as_reference(source: str) -> None:
    assert formatted(prune_imports(source)) == formatted(prune_imports_libcst(source))


CASES = {
    "unused, blank line above": (
        '"""Doc."""\n\nimport os\n\nimport sys\nfrom typing import Any, List\n\nx: Any = sys.argv\n',
        True,
    ),
    "used only in an f-string": ('"""Doc."""\nfrom m import a, b\n\nprint(f"{a!r:>{b}}")\n', True),
    "parenthesized, trailing comma, all used": (
        '"""Doc."""\nfrom m import (\n    a,\n    b,\n)\n\nprint(a, b)\n',
        True,
    ),
    "parenthesized, one unused": ('"""Doc."""\nfrom m import (\n    a,\n    b,\n    c,\n)\n\nprint(a, c)\n', True),
    "comment inside an import to change": (
        '"""Doc."""\nfrom m import (  # why\n    a,\n    b,\n)\n\nprint(a)\n',
        False,
    ),
    "dotted import used by its first name": ('"""Doc."""\nimport os.path\n\nos.path.join("a")\n', True),
    "aliased dotted import unused": ('"""Doc."""\nimport a.b as c\nimport d\n\nd.x()\n', True),
    "nested import to remove": (
        (
            '"""Doc."""\nfrom typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from m import a\n    from m import b\n\n'
            "x: b\n"
        ),
        False,
    ),
    "nested import to keep, trailing comma": (
        (
            '"""Doc."""\nfrom typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from m import (\n        a,\n        b,\n    )\n\n'
            '__all__ = ["a", "b"]\n'
        ),
        True,
    ),
    "comment above an import to remove": ('"""Doc."""\n\n# the thing\nimport os\n\nx = 1\n', False),
    "__all__ with a concatenated string": ('"""Doc."""\nfrom m import ab\n\n__all__ = ["a" "b"]\n', False),
    "__all__ re-exports": ('"""Doc."""\nfrom m import a, b, c\n\n__all__ = ["a", \'c\']\n', True),
    "statements joined by ;": ('"""Doc."""\nimport os; import sys\n\nsys.exit()\n', False),
    "keyword argument and attribute names count as used": (
        '"""Doc."""\nfrom m import x, y, z\n\nf(x=1)\nobj.y\n',
        True,
    ),
    "first statement is an unused import": ("import os\n\nx = 1\n", False),
    "unused import after a compound statement": (
        '"""Doc."""\nimport sys\n\nif sys:\n    pass\n\nimport os\n\nx = 1\n',
        False,
    ),
    "relative imports": ('"""Doc."""\nfrom . import a, b\nfrom ..x import c as d, e\n\nprint(a, d)\n', True),
    "future and star imports stay": (
        '"""Doc."""\nfrom __future__ import annotations\n\nfrom m import *\nfrom n import q\n\nx = 1\n',
        True,
    ),
    "trailing comment on an import to change": ('"""Doc."""\nfrom m import a, b  # noqa\n\nprint(a)\n', True),
    "definitions and parameters count as used": (
        (
            '"""Doc."""\nfrom m import f, g, h, k, e\n\n\ndef f(g):\n    lambda h: h\n\n\nclass k:\n    pass\n\n\n'
            "try:\n    pass\nexcept E as e:\n    pass\n"
        ),
        True,
    ),
    "non-ASCII text before __all__ on its line": ('"""Doc."""\nfrom m import a, b\n\nx = "é"; __all__ = ["a"]\n', True),
    "form feed lines": ('"""Doc."""\n\x0c\nimport os\nimport sys\n\x0c\nsys.exit()\n', True),
    "carriage returns": ('"""Doc."""\r\nimport os\r\nimport sys\r\n\r\nsys.exit()\r\n', False),
    "match patterns count as used": (
        (
            '"""Doc."""\nfrom m import p, q, r\n\nmatch x:\n    case {"a": 1, **r}:\n        pass\n    case [*q]:\n'
            "        pass\n    case C(p=1):\n        pass\n"
        ),
        True,
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_case_matches_the_libcst_reference(name: str) -> None:
    source, handled_by_ast = CASES[name]
    assert_same_as_reference(source)
    if handled_by_ast:
        _prune_with_ast(source)
    else:
        with pytest.raises(_Fallback):
            _prune_with_ast(source)


def test_every_rendered_module_matches_the_libcst_reference() -> None:
    rendered = render(current_api(), RenderOptions())
    modules = {path: text for path, text in rendered.items() if path.endswith(".py")}
    assert len(modules) > 50
    for path, text in sorted(modules.items()):
        ours, reference = prune_imports(text), prune_imports_libcst(text)
        if ours != reference:  # same code, spelled differently: black must make them equal
            assert formatted(ours) == formatted(reference), path


def test_syntax_errors_still_surface_from_the_formatter() -> None:
    with pytest.raises(Exception) as info:
        format_module("def broken(:\n", 120)
    assert "broken" in str(info.value) or "Cannot parse" in str(info.value) or "Syntax" in type(info.value).__name__
