"""The Conversations endpoints the docs describe, with their parameters where the wire puts them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator import ir
from tests.snapshot import current_api

ROOT = Path(__file__).resolve().parent.parent

CONVERSATIONS = {
    ("conversations",): {"create", "retrieve", "update", "delete"},
    ("conversations", "items"): {"create", "list", "retrieve", "delete"},
}


@pytest.fixture(scope="module")
def api() -> ir.Api:
    return current_api()


def _endpoint(api: ir.Api, resource: tuple[str, ...], method: str) -> ir.Endpoint:
    return next(e for e in api.endpoints if e.resource == resource and e.method_name == method)


def test_every_conversations_endpoint_is_there(api: ir.Api) -> None:
    for resource, methods in CONVERSATIONS.items():
        assert {e.method_name for e in api.endpoints if e.resource == resource} >= methods


@pytest.mark.parametrize(("resource", "method"), [(r, m) for r, ms in CONVERSATIONS.items() for m in sorted(ms)])
def test_path_params_are_the_path_placeholders(api: ir.Api, resource: tuple[str, ...], method: str) -> None:
    e = _endpoint(api, resource, method)
    assert [p.wire_name for p in e.path_params] == re.findall(r"\{(\w+)\}", e.path)
    assert e.returns is not None
    assert e.http_method in {"GET", "POST", "DELETE"}
    if e.http_method in {"GET", "DELETE"}:
        assert e.body is None


def test_items_list_is_a_cursor_page(api: ir.Api) -> None:
    e = _endpoint(api, ("conversations", "items"), "list")
    assert e.paginated
    assert {"after", "limit", "order", "include"} <= {p.wire_name for p in e.query_params}


def test_a_write_takes_in_its_query_what_the_reads_of_its_resource_take_there(api: ir.Api) -> None:
    reads = _endpoint(api, ("conversations", "items"), "list")
    create = _endpoint(api, ("conversations", "items"), "create")
    include = next(p for p in reads.query_params if p.wire_name == "include")
    assert [(p.wire_name, p.type) for p in create.query_params] == [("include", include.type)]
    assert create.body is not None
    body = next(d for m in api.modules for d in m.definitions if ir.Ref(m.path, d.name) == create.body)
    assert isinstance(body, ir.ObjectDef)
    assert [f.wire_name for f in body.fields] == ["items"]


def _body(api: ir.Api, e: ir.Endpoint) -> ir.ObjectDef:
    assert e.body is not None
    found = next(d for m in api.modules if m.path == e.body.module for d in m.definitions if d.name == e.body.name)
    assert isinstance(found, ir.ObjectDef)
    return found


def test_a_parameter_the_example_call_leaves_out_is_optional(api: ir.Api) -> None:
    # The Ruby page marks no optional parameter; its order (one run: items, metadata) leaves it
    # open, and its example, `openai.conversations.create`, passes neither.
    create = _body(api, _endpoint(api, ("conversations",), "create"))
    assert {f.wire_name: f.required for f in create.fields} == {"items": False, "metadata": False}
    # `openai.conversations.items.create("conv_123", items: [...])` passes `items`, which stays required.
    items = _body(api, _endpoint(api, ("conversations", "items"), "create"))
    assert {f.wire_name: f.required for f in items.fields}["items"] is True


@pytest.mark.parametrize(
    ("code", "passed"),
    [
        ("openai.things.create", set()),
        ('openai.things.create("t_1", name: "a: b", tags: [{k: :v}])\nputs(x)', {"name", "tags"}),
        (
            'client.things.create(\n    thing_id="t_1",\n    name="x=y",\n    meta={"a": 1},\n)',
            {"thing_id", "name", "meta"},
        ),
        ("client.things.create_many(name=1)", None),  # another method: it says nothing about this one
    ],
)
def test_the_keywords_an_example_passes(code: str, passed: set[str] | None) -> None:
    from generator.diagnostics import Span
    from generator.read.doc import CodeBlock, EndpointDoc, ExampleDoc

    span = Span("x.md", 1, 1)
    doc = EndpointDoc(
        "T",
        "post",
        "/things",
        "",
        (),
        (ExampleDoc(CodeBlock("", code, span), None),),
        span,
        "things.create(**kwargs) -> Thing",
    )
    assert doc.passed() == (None if passed is None else frozenset(passed))
