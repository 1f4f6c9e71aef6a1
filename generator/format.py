"""Post-process rendered modules: drop unused imports with libcst, then format with black."""

from __future__ import annotations

import black
import libcst as cst

__all__ = ["format_module", "prune_imports"]


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
        if any(isinstance(t, cst.Name) and t.value == "__all__" for t in targets) and isinstance(node.value, cst.List):
            for element in node.value.elements:
                if isinstance(element.value, cst.SimpleString):
                    self.used.add(str(element.value.evaluated_value))


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

    def leave_Import(self, original_node: cst.Import, updated_node: cst.Import) -> cst.Import | cst.RemovalSentinel:
        kept = [a for a in updated_node.names if _bound(a) in self.used]
        if not kept:
            return cst.RemoveFromParent()
        kept[-1] = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        return updated_node.with_changes(names=kept)


def _is_future(node: cst.ImportFrom) -> bool:
    return isinstance(node.module, cst.Name) and node.module.value == "__future__"


def _bound(alias: cst.ImportAlias) -> str:
    """The name an import binds: ``x`` for ``import a.b as x``, ``a`` for ``import a.b``."""
    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
        return alias.asname.name.value
    node: cst.BaseExpression = alias.name
    while isinstance(node, cst.Attribute):
        node = node.value
    assert isinstance(node, cst.Name)
    return node.value


def prune_imports(source: str) -> str:
    """Remove imported names the module never uses, so templates can import a fixed superset."""
    module = cst.parse_module(source)
    names = _Names()
    module.visit(names)
    return module.visit(_Prune(names.used)).code


def format_module(source: str, line_length: int) -> str:
    """The module as black formats it, after import pruning."""
    mode = black.Mode(line_length=line_length, target_versions={black.mode.TargetVersion.PY311})
    return black.format_str(prune_imports(source), mode=mode)
