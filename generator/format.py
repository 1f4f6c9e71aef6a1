"""Post-process rendered modules: drop unused imports, then format with black.

Import pruning reads the module with the standard library's ``ast`` (C-fast) and edits only the
import statements' text; modules laid out in a way that edit could not reproduce exactly
(comments in or above an import to change, nested imports to remove, ``;``-joined statements,
unusual ``__all__`` entries, ``\r`` line breaks) go through the libcst implementation instead, which is the
reference: for every module, both give the same text after black.

black and libcst are imported on first use, so importing this module is cheap.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import libcst as cst

__all__ = ["format_module", "prune_imports", "prune_imports_libcst", "warm"]

_SIMPLE_STRING = re.compile(r"""[rRuU]?(?:"[^"\\\n]*(?:\\.[^"\\\n]*)*"|'[^'\\\n]*(?:\\.[^'\\\n]*)*')\Z""")


class _Fallback(Exception):
    """The module needs the libcst implementation."""


def _used_names(tree: ast.Module, text_of: Callable[[ast.expr], str]) -> set[str]:
    """Every identifier the module mentions outside import statements (what libcst calls a ``Name``)."""
    used: set[str] = set()
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            continue
        match node:
            case ast.Name(id=name):
                used.add(name)
            case ast.Attribute(attr=name):
                used.add(name)
            case ast.FunctionDef(name=name) | ast.AsyncFunctionDef(name=name) | ast.ClassDef(name=name):
                used.add(name)
            case ast.arg(arg=name):
                used.add(name)
            case ast.keyword(arg=str(name)):
                used.add(name)
            case ast.ExceptHandler(name=str(name)):
                used.add(name)
            case ast.Global(names=names) | ast.Nonlocal(names=names):
                used.update(names)
            case ast.MatchAs(name=str(name)) | ast.MatchStar(name=str(name)):
                used.add(name)
            case ast.MatchMapping(rest=str(name)):
                used.add(name)
            case ast.MatchClass(kwd_attrs=names):
                used.update(names)
            case ast.Assign(targets=targets, value=ast.List(elts=elements)) if any(
                isinstance(t, ast.Name) and t.id == "__all__" for t in targets
            ):
                # Names re-exported through `__all__` are used even where no code mentions them.
                for element in elements:
                    if isinstance(element, ast.Constant) and isinstance(element.value, str):
                        if not _SIMPLE_STRING.match(text_of(element)):
                            raise _Fallback("an __all__ entry that is not one plain string literal")
                        used.add(element.value)
        stack.extend(ast.iter_child_nodes(node))
    return used


def _bound_name(alias: ast.alias) -> str:
    """The name an import binds: ``x`` for ``import a.b as x``, ``a`` for ``import a.b``."""
    return alias.asname if alias.asname is not None else alias.name.split(".")[0]


def _spell(node: ast.Import | ast.ImportFrom, kept: list[ast.alias]) -> str:
    names = ", ".join(a.name if a.asname is None else f"{a.name} as {a.asname}" for a in kept)
    if isinstance(node, ast.Import):
        return f"import {names}"
    return f"from {'.' * node.level}{node.module or ''} import {names}"


def _tokens(text: str) -> list[tokenize.TokenInfo]:
    return list(tokenize.generate_tokens(io.StringIO(text).readline))


def _ends_with_comma(segment: str) -> bool:
    """The import's name list has a trailing comma (``from a import (b, c,)``)."""
    significant = [t for t in _tokens(segment) if t.type == tokenize.OP or t.type == tokenize.NAME]
    return len(significant) >= 2 and significant[-1].string == ")" and significant[-2].string == ","


def _prune_with_ast(source: str) -> str:
    if "\r" in source:
        raise _Fallback("\\r line breaks")
    tree = ast.parse(source)
    # Lines as ast counts them (only "\n" ends one; str.splitlines would also split at form feeds).
    lines = [line + "\n" for line in source.split("\n")]
    lines[-1] = lines[-1][:-1]
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def at(lineno: int, col: int) -> int:
        """The string index of ast's (line, UTF-8 byte column)."""
        line = lines[lineno - 1]
        return starts[lineno - 1] + (col if line.isascii() else len(line.encode()[:col].decode()))

    def text_of(node: ast.expr) -> str:
        assert node.end_lineno is not None and node.end_col_offset is not None
        return source[at(node.lineno, node.col_offset) : at(node.end_lineno, node.end_col_offset)]

    used = _used_names(tree, text_of)
    position = {id(n): i for i, n in enumerate(tree.body)}
    edits: list[tuple[int, int, str]] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Import | ast.ImportFrom):
            continue
        if isinstance(node, ast.ImportFrom) and (node.module == "__future__" and node.level == 0):
            continue
        if any(a.name == "*" for a in node.names):
            continue
        assert node.end_lineno is not None and node.end_col_offset is not None
        start, end = at(node.lineno, node.col_offset), at(node.end_lineno, node.end_col_offset)
        segment = source[start:end]
        kept = [a for a in node.names if _bound_name(a) in used]
        if len(kept) == len(node.names) and not _ends_with_comma(segment):
            continue  # libcst leaves it as it is
        index = position.get(id(node))
        if any(t.type == tokenize.COMMENT for t in _tokens(segment)) or "\\" in segment:
            raise _Fallback("a comment or continuation inside an import to change")
        line_start = starts[node.lineno - 1]
        line_end = starts[node.end_lineno]
        before, after = source[line_start:start], source[end:line_end]
        if before.strip() or after.strip().startswith(";") or (after.strip() and not after.strip().startswith("#")):
            raise _Fallback("an import sharing its line with another statement")
        if kept:
            edits.append((start, end, _spell(node, kept)))
            continue
        if index is None:
            raise _Fallback("a nested import to remove")
        # libcst removes the statement with its leading lines: the blank lines above it.
        first = node.lineno - 1
        while first > 0 and not lines[first - 1].strip():
            first -= 1
        if first > 0 and lines[first - 1].lstrip().startswith("#"):
            raise _Fallback("a comment above an import to remove")
        if first == 0 or index == 0 or hasattr(tree.body[index - 1], "body"):
            raise _Fallback("an import to remove at the top of the module or after a compound statement")
        edits.append((starts[first], line_end, ""))
    out = source
    for start, end, text in sorted(edits, reverse=True):
        out = out[:start] + text + out[end:]
    return out


def prune_imports(source: str) -> str:
    """Remove imported names the module never uses, so templates can import a fixed superset."""
    try:
        return _prune_with_ast(source)
    except (_Fallback, SyntaxError, ValueError, tokenize.TokenError):
        return prune_imports_libcst(source)


# -- the reference implementation (libcst) --------------------------------------------------------


def prune_imports_libcst(source: str) -> str:
    """``prune_imports`` with libcst: the reference the ``ast`` version is checked against."""
    import libcst as cst

    module = cst.parse_module(source)
    names = _libcst_names()()
    module.visit(names)
    return module.visit(_libcst_prune()(names.used)).code


_CLASSES: dict[str, Any] = {}


def _libcst_names() -> Any:
    if "names" not in _CLASSES:
        import libcst as cst

        class _Names(cst.CSTVisitor):
            """Every name a module uses, outside its import statements."""

            def __init__(self) -> None:
                self.used: set[str] = set()

            def visit_Import(self, node: cst.Import) -> bool:
                return False

            def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
                return False

            def visit_Name(self, node: cst.Name) -> None:
                self.used.add(node.value)

            def visit_Assign(self, node: cst.Assign) -> None:
                # Names re-exported through `__all__` are used even where no code mentions them.
                targets = [t.target for t in node.targets]
                if any(isinstance(t, cst.Name) and t.value == "__all__" for t in targets) and isinstance(
                    node.value, cst.List
                ):
                    for element in node.value.elements:
                        if isinstance(element.value, cst.SimpleString):
                            self.used.add(str(element.value.evaluated_value))

        _CLASSES["names"] = _Names
    return _CLASSES["names"]


def _libcst_prune() -> Any:
    if "prune" not in _CLASSES:
        import libcst as cst

        class _Prune(cst.CSTTransformer):
            def __init__(self, used: set[str]) -> None:
                self.used = used

            def leave_ImportFrom(
                self, original_node: cst.ImportFrom, updated_node: cst.ImportFrom
            ) -> cst.ImportFrom | cst.RemovalSentinel:
                if isinstance(updated_node.names, cst.ImportStar) or _is_future(updated_node):
                    return updated_node
                kept = [a for a in updated_node.names if _bound(a) in self.used]
                if not kept:
                    return cst.RemoveFromParent()
                kept[-1] = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
                return updated_node.with_changes(names=kept)

            def leave_Import(
                self, original_node: cst.Import, updated_node: cst.Import
            ) -> cst.Import | cst.RemovalSentinel:
                kept = [a for a in updated_node.names if _bound(a) in self.used]
                if not kept:
                    return cst.RemoveFromParent()
                kept[-1] = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
                return updated_node.with_changes(names=kept)

        _CLASSES["prune"] = _Prune
    return _CLASSES["prune"]


def _is_future(node: cst.ImportFrom) -> bool:
    import libcst as cst

    return isinstance(node.module, cst.Name) and node.module.value == "__future__"


def _bound(alias: cst.ImportAlias) -> str:
    """The name an import binds: ``x`` for ``import a.b as x``, ``a`` for ``import a.b``."""
    import libcst as cst

    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
        return alias.asname.name.value
    node: cst.BaseExpression = alias.name
    while isinstance(node, cst.Attribute):
        node = node.value
    assert isinstance(node, cst.Name)
    return node.value


def format_module(source: str, line_length: int) -> str:
    """The module as black formats it, after import pruning."""
    import black

    mode = black.Mode(line_length=line_length, target_versions={black.mode.TargetVersion.PY311})
    return black.format_str(prune_imports(source), mode=mode)


def warm() -> None:
    """Import what ``format_module`` needs (run in a formatting process while the docs are read)."""
    import black

    black.Mode()
