"""Wire compatibility: for each endpoint the generated client sends what the official SDK sends for the same call."""

from __future__ import annotations

import ast
import sys
from typing import Any

import pytest

from generator import ir
from tests.client_calls import endpoint_id, method_of, sample_call, sample_response
from tests.conftest import GENERATED
from tests.http_server import Recorded, Reply, Server
from tests.snapshot import current_api

sys.path.insert(0, str(GENERATED))

from openai_api import Client

openai = pytest.importorskip("openai")

API = current_api()
ENDPOINTS = [e for e in API.endpoints if e.returns is not None]


def wire(request: Recorded) -> tuple[str, str, dict[str, list[str]], object]:
    return request.method, request.path, request.query_dict(), request.json()


def both(server: Server, endpoint: ir.Endpoint, args: tuple[Any, ...], kwargs: dict[str, Any]) -> list[Recorded]:
    """The requests the generated client and then the SDK send for the same call.

    Path parameters go to the SDK by name: it takes only the last one positionally
    (``items.delete(item_id, *, conversation_id)``) where the docs' order is the path's.
    """
    server.handler = lambda request: Reply.of_json(sample_response(API, endpoint))
    with Client(api_key="sk-test", base_url=server.url + "/v1", max_retries=0) as ours:
        method_of(ours, endpoint)(*args, **kwargs)
    named = {p.name: value for p, value in zip(endpoint.path_params, args)}
    sdk = openai.OpenAI(api_key="sk-test", base_url=server.url + "/v1", max_retries=0)
    try:
        method_of(sdk, endpoint)(**named, **kwargs)
    finally:
        sdk.close()
    assert len(server.requests) == 2, server.requests
    return server.requests


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=endpoint_id)
def test_every_parameter_goes_on_the_wire_as_the_sdk_sends_it(server: Server, endpoint: ir.Endpoint) -> None:
    call = sample_call(API, endpoint)
    ours, theirs = both(server, endpoint, call.args, call.kwargs)
    assert wire(ours) == wire(theirs)
    assert ours.path == "/v1" + call.path


@pytest.mark.parametrize("endpoint", [e for e in ENDPOINTS if e.path_params], ids=endpoint_id)
def test_path_params_are_encoded_as_the_sdk_encodes_them(server: Server, endpoint: ir.Endpoint) -> None:
    call = sample_call(API, endpoint, {p.name: "a/b ../c?d#e%f+g:@h" for p in endpoint.path_params})
    ours, theirs = both(server, endpoint, call.args, call.kwargs)
    assert wire(ours) == wire(theirs)


def doc_calls() -> list[tuple[ir.Endpoint, int, tuple[Any, ...], dict[str, Any]]]:
    """The Python calls the docs' examples make (``client.<resource>.<method>(…)`` with literal arguments)."""
    by_chain = {(*e.resource, e.method_name): e for e in ENDPOINTS}
    found = []
    for endpoint in ENDPOINTS:
        for index, example in enumerate(endpoint.examples):
            try:
                tree = ast.parse(example.request)
            except SyntaxError:
                continue  # curl and Ruby examples
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call):
                    continue
                chain: list[str] = []
                target = node.func
                while isinstance(target, ast.Attribute):
                    chain.insert(0, target.attr)
                    target = target.value
                if by_chain.get(tuple(chain)) is endpoint:
                    args = tuple(ast.literal_eval(a) for a in node.args)
                    kwargs = {k.arg: ast.literal_eval(k.value) for k in node.keywords if k.arg}
                    found.append((endpoint, index, args, kwargs))
    return found


DOC_CALLS = doc_calls()


def test_the_docs_have_python_calls_to_compare() -> None:
    assert len({endpoint_id(e) for e, *_ in DOC_CALLS}) >= 4


@pytest.mark.parametrize(
    ("endpoint", "index", "args", "kwargs"), DOC_CALLS, ids=[f"{endpoint_id(e)}[{i}]" for e, i, *_ in DOC_CALLS]
)
def test_the_docs_python_examples_send_what_the_sdk_sends(
    server: Server, endpoint: ir.Endpoint, index: int, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    ours, theirs = both(server, endpoint, args, kwargs)
    assert wire(ours) == wire(theirs)
    assert ours.method == endpoint.http_method


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=endpoint_id)
def test_every_parameter_has_the_name_the_sdk_gives_it(endpoint: ir.Endpoint) -> None:
    import inspect

    ours = Client(api_key="k")
    sdk = openai.OpenAI(api_key="k")
    theirs = inspect.signature(method_of(sdk, endpoint)).parameters
    mine = inspect.signature(method_of(ours, endpoint)).parameters
    assert set(mine) <= set(theirs), sorted(set(mine) - set(theirs))
    path = [p.name for p in endpoint.path_params]
    assert [name for name, p in mine.items() if p.kind is p.POSITIONAL_OR_KEYWORD] == path
    assert all(mine[n].kind is inspect.Parameter.KEYWORD_ONLY for n in mine if n not in path)
    sdk.close()
    ours.close()
