"""A recursive type is legal: a page whose types nest in themselves generates a package that imports,
passes mypy --strict, round-trips nested payloads, and turns payloads nested too deeply for Python's
stack into one ``DecodeError`` that names the path (never ``RecursionError``).

The page (``tests/recursive_tree.md``) has a self-recursive object (``Node.children: array of Node``)
and a mutually recursive discriminated union (``Filter = Leaf | Group``, ``Group.filters: array of
Filter``).
"""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

PAGE = Path(__file__).with_name("recursive_tree.md")
MANIFEST = """[output]
package = "recursive_api"
directory = "../generated"

[[page]]
path = "trees.md"
flavour = "http"
"""
USAGE = """from recursive_api.types.trees.filter import Filter, Group, Leaf
from recursive_api.types.trees.node import Node


def depth(node: Node) -> int:
    return 1 + max((depth(child) for child in node.children), default=0)


def leaves(f: Filter) -> list[Leaf]:
    if isinstance(f, Leaf):
        return [f]
    if isinstance(f, Group):
        return [leaf for sub in f.filters for leaf in leaves(sub)]
    return []


tree = Node(children=[Node(children=[], name="b")], name="a", filter=Group(filters=[Leaf(type="leaf", value=1)], type="and"))
assert depth(tree) == 2 and tree.filter is not None and len(leaves(tree.filter)) == 1
"""


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("recursive")
    (root / "specs").mkdir()
    (root / "specs" / "specs.toml").write_text(MANIFEST)
    (root / "specs" / "trees.md").write_bytes(PAGE.read_bytes())
    result = subprocess.run(
        [sys.executable, "-m", "generator", "generate", "-v"], cwd=root, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "error" not in result.stderr and "warning" not in result.stderr, result.stderr
    return root / "generated"


@pytest.fixture(scope="module")
def api(generated: Path) -> ModuleType:
    sys.path.insert(0, str(generated))
    try:
        return importlib.import_module("recursive_api")
    finally:
        sys.path.remove(str(generated))


def node_module(api: ModuleType) -> ModuleType:
    return importlib.import_module("recursive_api.types.trees.node")


def test_mypy_strict(generated: Path) -> None:
    (generated / "usage.py").write_text(USAGE)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--cache-dir=/dev/null",
            "recursive_api",
            "usage.py",
        ],
        cwd=generated,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    run = subprocess.run([sys.executable, "usage.py"], cwd=generated, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr


def nested_nodes(depth: int) -> dict[str, Any]:
    node: dict[str, Any] = {"children": [], "name": "leaf"}
    for i in range(depth):
        node = {"children": [node, {"children": [], "name": f"sibling{i}"}], "name": f"n{i}"}
    return node


def nested_filters(depth: int) -> dict[str, Any]:
    f: dict[str, Any] = {"type": "leaf", "value": "x"}
    for i in range(depth):
        f = {"type": "and" if i % 2 else "or", "filters": [f, {"type": "leaf", "value": i}]}
    return f


def test_nested_payload_round_trips(api: ModuleType) -> None:
    Node = node_module(api).Node
    payload = {"children": [nested_nodes(40)], "name": "root", "filter": nested_filters(40)}
    value = Node.from_dict(payload)
    assert value.to_dict() == payload
    assert api.encode(api.decode(Node, payload)) == payload
    inner = value.children[0]
    for _ in range(40):
        assert type(inner).__name__ == "Node"
        inner = inner.children[0]
    assert inner.name == "leaf"
    group = value.filter
    for _ in range(40):
        assert type(group).__name__ == "Group"
        group = group.filters[0]
    assert type(group).__name__ == "Leaf" and group.value == "x"


def test_a_mistake_deep_inside_is_reported_at_its_path(api: ModuleType) -> None:
    Node = node_module(api).Node
    payload = nested_nodes(30)
    at = payload
    for _ in range(30):
        at = at["children"][0]
    at["name"] = 7
    with pytest.raises(api.DecodeError) as info:
        Node.from_dict(payload)
    assert info.value.location == "children[0]." * 30 + "name"
    assert info.value.message == "expected a string, got number"


@pytest.mark.parametrize("kind", ["children", "filters"])
def test_nesting_deeper_than_the_stack_is_one_decode_error(api: ModuleType, kind: str) -> None:
    Node = node_module(api).Node
    payload = (
        nested_nodes(10_000) if kind == "children" else {"children": [], "name": "a", "filter": nested_filters(10_000)}
    )
    with pytest.raises(api.DecodeError) as info:
        Node.from_dict(payload)
    assert info.value.message == "nests too deeply to decode"
    # The path is where decoding gave up, and it leads there through the payload.
    path = info.value.path
    assert len(path) > 20
    at: Any = payload
    for step in path:
        at = at[step]
    assert isinstance(at, (dict, list))
