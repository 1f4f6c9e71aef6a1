"""Carry code a maintainer added to generated modules (class members, module-level code) into new output.

Which members are hand-added is not guessed: the write manifest records, for every generated module,
the keys of the members the generator wrote (``generator/members.py``). A module on disk that differs
from the generated text recorded for it is read with libcst; each of its members whose key the
generator did not write is the maintainer's, and is inserted (as written, comments included) into the
new output of the same module and class, after the member it followed on disk (or the nearest earlier
one still there). Edits to generated members are not carried: the generator owns those, and the drift
check shows them. A hand-added member whose class (or module) is no longer generated, or whose name the
generator now uses itself, is a conflict: an error at its ``file:line:col``, and nothing is written.
"""

from __future__ import annotations

import ast
import hashlib
import textwrap
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.diagnostics import Diagnostic, Level, Span
from generator.members import DOC, MODULE, statement_key
from generator.write import Formatted, read_manifest

if TYPE_CHECKING:
    import libcst as cst

__all__ = ["carry"]


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _read(path: Path) -> str | None:
    try:
        with open(path, encoding="utf-8", newline="") as f:
            return f.read()
    except (OSError, UnicodeDecodeError):
        return None


@dataclass(slots=True)
class _Unit:
    """One member: a statement and the docstrings after it."""

    key: str
    nodes: list[Any]
    """libcst statements."""
    label: str
    """How a diagnostic names it: the name it binds, or its first line."""


def _node_key(module: cst.Module, node: cst.CSTNode) -> tuple[str, bool]:
    """The member key of a libcst statement (as ``members.statement_key`` computes it) and whether it is a
    bare string (a docstring)."""
    code = _code(module, node)
    try:
        body = ast.parse(code).body
    except SyntaxError:
        return "stmt:" + _sha(code)[:16], False
    if len(body) == 1 and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        return "", isinstance(body[0].value.value, str)
    return ";".join(statement_key(s) for s in body), False


def _code(module: cst.Module, node: Any) -> str:
    """The statement's code without the comments and blank lines above it."""
    if getattr(node, "leading_lines", ()):
        node = node.with_changes(leading_lines=())
    return textwrap.dedent(module.code_for_node(node))


def _units(module: cst.Module, body: list[Any]) -> list[_Unit]:
    units: list[_Unit] = []
    for i, node in enumerate(body):
        key, docstring = _node_key(module, node)
        if docstring:
            if i == 0:
                units.append(_Unit(DOC, [node], DOC))
            elif units:
                units[-1].nodes.append(node)
            continue
        units.append(_Unit(key, [node], _code(module, node).strip().splitlines()[0]))
    return units


def _classes(module: cst.Module) -> dict[str, Any]:
    import libcst as cst

    return {n.name.value: n for n in module.body if isinstance(n, cst.ClassDef)}


def _start(units: list[_Unit], module_level: bool) -> int:
    """Where code with nothing before it goes: after the docstring (and ``from __future__`` imports)."""
    i = 0
    if units and units[0].key == DOC:
        i = 1
    if module_level:
        future = statement_key(ast.parse("from __future__ import annotations").body[0])
        while i < len(units) and units[i].key == future:
            i += 1
    return i


def _merge(old: list[_Unit], custom: set[int], new: list[_Unit], module_level: bool) -> list[Any]:
    """``new``'s members with ``old``'s custom ones (indices in ``custom``) each after its anchor."""
    result = list(new)
    for i in sorted(custom):
        keys = [u.key for u in result]
        at = _start(result, module_level)
        for j in range(i - 1, -1, -1):
            if old[j].key in keys:
                # After the anchor and the hand-added members already placed right after it.
                at = keys.index(old[j].key) + 1
                break
        result.insert(at, old[i])
    return [node for u in result for node in u.nodes]


def _span(display: str, positions: Any, node: Any) -> Span:
    import libcst as cst

    target = node.name if isinstance(node, (cst.FunctionDef, cst.ClassDef)) else node
    start = positions[target].start
    return Span(display, start.line, start.column + 1)


def carry(formatted: Formatted, out_dir: Path, root: Path | None = None) -> tuple[Formatted, list[Diagnostic]]:
    """``formatted`` with the hand-added code of the modules on disk carried in, and the conflicts."""
    manifest = read_manifest(out_dir)
    todo: list[tuple[str, str, dict[str, str]]] = []
    for path, entry in sorted(manifest.items()):
        members = entry.get("members")
        if not path.endswith(".py") or not isinstance(members, dict):
            continue  # written before members were recorded: nothing can be told apart
        on_disk = _read(out_dir / path)
        if on_disk is None or _sha(on_disk) == entry.get("pristine", entry.get("sha256")):
            continue  # exactly the generator's text
        todo.append((path, on_disk, members))
    if not todo:
        return formatted, []
    import libcst as cst
    from libcst.metadata import MetadataWrapper, PositionProvider

    files = dict(formatted.files)
    pristine = dict(formatted.pristine)
    diagnostics: list[Diagnostic] = []
    base = (root or Path.cwd()).resolve()
    for path, on_disk, generated in todo:
        display = _display(out_dir / path, base)
        try:
            wrapper = MetadataWrapper(cst.parse_module(on_disk))
        except cst.ParserSyntaxError as exc:
            message = f"cannot read the hand edits of this generated module: {exc.message}"
            diagnostics.append(
                Diagnostic(Level.ERROR, "E801", message, Span(display, exc.raw_line, exc.raw_column + 1))
            )
            continue
        old_module = wrapper.module
        positions = wrapper.resolve(PositionProvider)
        containers: dict[str, list[Any]] = {MODULE: list(old_module.body)}
        for name, node in _classes(old_module).items():
            if name in generated:
                containers[name] = list(node.body.body)
        found: dict[str, tuple[list[_Unit], set[int]]] = {}
        for name, body in containers.items():
            units = _units(old_module, body)
            own = set(generated.get(name, "").split())
            custom = {i for i, u in enumerate(units) if u.key not in own}
            if custom:
                found[name] = (units, custom)
        if not found:
            continue  # only generated members were edited: the new output replaces them
        text = files.get(path)
        if text is None:
            for name, (units, custom) in found.items():
                for i in sorted(custom):
                    where = f"class `{name}`" if name else "its module"
                    message = (
                        f"hand-added code `{_label(units[i])}` extends {where}, but `{path}` is no longer generated;"
                        " move or delete it, then regenerate"
                    )
                    at = _span(display, positions, units[i].nodes[0])
                    diagnostics.append(Diagnostic(Level.ERROR, "E802", message, at))
            continue
        new_module = cst.parse_module(text)
        new_classes = _classes(new_module)
        new_body = list(new_module.body)
        replaced: dict[str, Any] = {}
        conflict = False
        for name, (units, custom) in found.items():
            target: Any = new_module if name == MODULE else new_classes.get(name)
            if target is None:
                conflict = True
                for i in sorted(custom):
                    message = (
                        f"hand-added member `{_label(units[i])}` extends class `{name}`, which the docs no longer"
                        " describe; move or delete it, then regenerate"
                    )
                    diagnostics.append(
                        Diagnostic(Level.ERROR, "E803", message, _span(display, positions, units[i].nodes[0]))
                    )
                continue
            new_units = _units(new_module, list(target.body) if name == MODULE else list(target.body.body))
            taken = {u.key for u in new_units}
            clashes = [i for i in sorted(custom) if units[i].key in taken]
            if clashes:
                conflict = True
                for i in clashes:
                    message = (
                        f"hand-added member `{_label(units[i])}` of {f'class `{name}`' if name else 'the module'}"
                        " now has a generated namesake; rename or delete it, then regenerate"
                    )
                    diagnostics.append(
                        Diagnostic(Level.ERROR, "E804", message, _span(display, positions, units[i].nodes[0]))
                    )
                continue
            merged = _merge(units, custom, new_units, module_level=name == MODULE)
            if name == MODULE:
                new_body = merged
            else:
                replaced[name] = target.with_changes(body=target.body.with_changes(body=merged))
        if conflict:
            continue
        new_body = [replaced.get(n.name.value, n) if isinstance(n, cst.ClassDef) else n for n in new_body]
        files[path] = new_module.with_changes(body=new_body).code
        pristine[path] = _sha(text)
    return replace(formatted, files=files, pristine=pristine), diagnostics


def _label(unit: _Unit) -> str:
    return unit.key if not unit.key.startswith("stmt:") else unit.label[:60]


def _display(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
