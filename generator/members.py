"""The member keys of a generated module: what the write manifest records as the generator's own members.

A module's containers are the module itself (key ``""``) and each top-level class (its name). A
container's members are its statements, each with the bare string statements after it (an attribute's
docstring); a leading docstring is the member ``__doc__``. A member is keyed by the name it binds
(``def``, ``class``, ``x: T``, ``x = …``) or, when it binds none (an import, an ``if`` block), by a hash
of its syntax tree. ``generator/custom.py`` tells hand-added members from generated ones by these keys.
"""

from __future__ import annotations

import ast
import hashlib

__all__ = ["DOC", "MODULE", "container_keys", "is_docstring", "statement_key"]

MODULE = ""
DOC = "__doc__"


def is_docstring(stmt: ast.stmt) -> bool:
    return isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, str)


def statement_key(stmt: ast.stmt) -> str:
    match stmt:
        case ast.FunctionDef(name=name) | ast.AsyncFunctionDef(name=name) | ast.ClassDef(name=name):
            return name
        case ast.AnnAssign(target=ast.Name(id=name)):
            return name
        case ast.Assign(targets=targets) if all(isinstance(t, ast.Name) for t in targets):
            return ",".join(t.id for t in targets if isinstance(t, ast.Name))
        case _:
            return "stmt:" + hashlib.sha256(ast.dump(stmt).encode()).hexdigest()[:16]


def _body_keys(body: list[ast.stmt]) -> list[str]:
    keys: list[str] = []
    for i, stmt in enumerate(body):
        if is_docstring(stmt):
            if i == 0:
                keys.append(DOC)
            continue  # an attribute docstring belongs to the statement before it
        keys.append(statement_key(stmt))
    return keys


def container_keys(source: str) -> dict[str, list[str]]:
    """Per container, its members' keys in order; empty for text that is not Python."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return {}
    out = {MODULE: _body_keys(tree.body)}
    for stmt in tree.body:
        if isinstance(stmt, ast.ClassDef):
            out[stmt.name] = _body_keys(stmt.body)
    return out
