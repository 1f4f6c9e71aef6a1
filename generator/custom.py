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
import textwrap
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.diagnostics import Diagnostic, Level, Span
from generator.members import DOC, MODULE, statement_key
from generator.write import Formatted, read_manifest, read_text, sha

if TYPE_CHECKING:
    import libcst as cst

__all__ = ["carry"]


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
        return "stmt:" + sha(code)[:16], False
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
        on_disk = read_text(out_dir / path)
        if on_disk is None or sha(on_disk) == entry.get("pristine", entry.get("sha256")):
            continue  # exactly the generator's text
        if on_disk == formatted.files.get(path):
            continue  # already what this run generates (e.g. a tree and a manifest merged from two branches)
        todo.append((path, on_disk, members))
    if not todo:
        return formatted, []
    files = dict(formatted.files)
    pristine = dict(formatted.pristine)
    diagnostics: list[Diagnostic] = []
    base = (root or Path.cwd()).resolve()
    for path, on_disk, recorded in todo:
        merged = _carry_file(path, on_disk, recorded, files.get(path), _display(out_dir / path, base), diagnostics)
        if merged is not None:
            pristine[path] = sha(files[path])
            files[path] = merged
    return replace(formatted, files=files, pristine=pristine), diagnostics


def _carry_file(
    path: str, on_disk: str, recorded: dict[str, str], text: str | None, display: str, out: list[Diagnostic]
) -> str | None:
    """The new text of one module with its hand-added code (None: nothing to carry, or a conflict in ``out``)."""
    import libcst as cst
    from libcst.metadata import MetadataWrapper, PositionProvider

    try:
        wrapper = MetadataWrapper(cst.parse_module(on_disk))
    except cst.ParserSyntaxError as exc:
        message = f"cannot read the hand edits of this generated module: {exc.message}"
        out.append(Diagnostic(Level.ERROR, "E801", message, Span(display, exc.raw_line, exc.raw_column + 1)))
        return None
    old_module = wrapper.module
    positions = wrapper.resolve(PositionProvider)
    new_module = cst.parse_module(text) if text is not None else None
    new_targets: dict[str, Any] = {}
    if new_module is not None:
        new_targets = {MODULE: new_module, **_classes(new_module)}
    old_classes = _classes(old_module)
    found: dict[str, tuple[list[_Unit], set[int]]] = {}
    missing: list[str] = []
    for name, own_keys in sorted(recorded.items()):
        own = set(own_keys.split())
        node = old_module if name == MODULE else old_classes.get(name)
        if node is None:
            missing.append(f"class {name}")
            continue
        units = _units(old_module, _body(node))
        missing += [f"{name}.{k}" if name else k for k in sorted(own - {u.key for u in units})]
        target = new_targets.get(name)
        same: dict[str, str] = {}
        if target is not None:
            new_units = _units(new_module, _body(target))  # type: ignore[arg-type]
            same = {u.key: _unit_code(new_module, u) for u in new_units}
        # A member the manifest does not list is the maintainer's, unless this run generates it as it is.
        custom = {i for i, u in enumerate(units) if u.key not in own and same.get(u.key) != _unit_code(old_module, u)}
        if custom:
            found[name] = (units, custom)
    if not found:
        return None  # only generated members were edited: the new output replaces them
    if missing:
        shown = ", ".join(f"`{m}`" for m in missing[:3]) + (f" and {len(missing) - 3} more" if len(missing) > 3 else "")
        message = (
            f"this module is not the generation the write manifest records plus added code ({shown} of that"
            " generation are missing or changed: a tree merged from two generations?), so its hand-added code"
            " cannot be told apart; restore them, or run `docgen generate --discard-custom`"
        )
        out.append(Diagnostic(Level.ERROR, "E805", message, Span(display, 1, 1)))
        return None
    if new_module is None:
        for name, (units, custom) in found.items():
            for i in sorted(custom):
                where = f"class `{name}`" if name else "its module"
                message = (
                    f"hand-added code `{_label(units[i])}` extends {where}, but `{path}` is no longer generated;"
                    " move or delete it, then regenerate"
                )
                out.append(Diagnostic(Level.ERROR, "E802", message, _span(display, positions, units[i].nodes[0])))
        return None
    new_body = list(new_module.body)
    replaced: dict[str, Any] = {}
    conflict = False
    for name, (units, custom) in found.items():
        target = new_targets.get(name)
        if target is None:
            conflict = True
            for i in sorted(custom):
                message = (
                    f"hand-added member `{_label(units[i])}` extends class `{name}`, which the docs no longer"
                    " describe; move or delete it, then regenerate"
                )
                out.append(Diagnostic(Level.ERROR, "E803", message, _span(display, positions, units[i].nodes[0])))
            continue
        new_units = _units(new_module, _body(target))
        taken = {u.key for u in new_units}
        clashes = [i for i in sorted(custom) if units[i].key in taken]
        if clashes:
            conflict = True
            for i in clashes:
                message = (
                    f"hand-added member `{_label(units[i])}` of {f'class `{name}`' if name else 'the module'}"
                    " now has a generated namesake; rename or delete it, then regenerate"
                )
                out.append(Diagnostic(Level.ERROR, "E804", message, _span(display, positions, units[i].nodes[0])))
            continue
        merged = _merge(units, custom, new_units, module_level=name == MODULE)
        if name == MODULE:
            new_body = merged
        else:
            replaced[name] = target.with_changes(body=target.body.with_changes(body=merged))
    if conflict:
        return None
    new_body = [replaced.get(n.name.value, n) if isinstance(n, cst.ClassDef) else n for n in new_body]
    return str(new_module.with_changes(body=new_body).code)


def _body(node: Any) -> list[Any]:
    """The statements of a module or of a class."""
    import libcst as cst

    return list(node.body) if isinstance(node, cst.Module) else list(node.body.body)


def _unit_code(module: Any, unit: _Unit) -> str:
    return "".join(_code(module, n) for n in unit.nodes)


def _label(unit: _Unit) -> str:
    return unit.key if not unit.key.startswith("stmt:") else unit.label[:60]


def _display(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
