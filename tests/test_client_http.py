"""The generated client against a real HTTP server: every endpoint, sync and async, pages, raw responses, safety."""

from __future__ import annotations

import asyncio
import importlib
import json
import logging
import sys
from typing import Any

import httpx
import pytest

from generator import ir
from tests.client_calls import Sampler, endpoint_id, method_of, sample_call, sample_response
from tests.conftest import GENERATED
from tests.http_server import Recorded, Reply, Server
from tests.snapshot import current_api

sys.path.insert(0, str(GENERATED))

from openai_api import (
    APIConnectionError,
    AsyncClient,
    AsyncCursorPage,
    AuthenticationError,
    Client,
    CursorPage,
    decode,
    encode,
)

API = current_api()
ENDPOINTS = [e for e in API.endpoints if e.returns is not None]
CASES = [(e, i) for e in ENDPOINTS for i in range(max(1, len(e.examples)))]
PAGINATED = [e for e in ENDPOINTS if e.paginated]
WITH_PATH_PARAMS = [e for e in ENDPOINTS if e.path_params]
KEY = "sk-never-shown-4f1d"


def return_type(endpoint: ir.Endpoint) -> Any:
    assert isinstance(endpoint.returns, ir.Ref), endpoint.returns
    module = importlib.import_module(f"{API.package}.{'.'.join(endpoint.returns.module)}")
    return getattr(module, endpoint.returns.name)


def decoded(endpoint: ir.Endpoint, data: object, page: type[Any] = CursorPage) -> object:
    """What a call of ``endpoint`` must return for the response ``data``."""
    tp = return_type(endpoint)
    if endpoint.paginated:
        from openai_api._runtime import decoder_for

        return page.decoder(decoder_for(tp))(data)
    return decode(tp, data)


# The server speaks plain HTTP: skipping the CA bundle saves a tenth of a second per client.
def client(server: Server, **options: Any) -> Client:
    http = httpx.Client(verify=False)
    return Client(api_key=KEY, base_url=server.url + "/v1", http_client=http, **{"max_retries": 0, **options})


def aclient(server: Server, **options: Any) -> AsyncClient:
    http = httpx.AsyncClient(verify=False)
    return AsyncClient(api_key=KEY, base_url=server.url + "/v1", http_client=http, **{"max_retries": 0, **options})


def response_of(endpoint: ir.Endpoint, index: int) -> object:
    if endpoint.examples:
        return json.loads(endpoint.examples[index].response)
    return sample_response(API, endpoint)


def assert_sent(request: Recorded, endpoint: ir.Endpoint, call: Any) -> None:
    assert request.method == endpoint.http_method
    assert request.path == "/v1" + call.path
    assert request.query_dict() == call.query
    assert request.json() == call.body
    assert request.headers["authorization"] == f"Bearer {KEY}"
    if call.body is not None:
        assert request.headers["content-type"] == "application/json"


def test_every_endpoint_is_covered() -> None:
    documented = {endpoint_id(e) for e in API.endpoints}
    assert {endpoint_id(e) for e, _ in CASES} == documented
    assert len(documented) >= 9


@pytest.mark.parametrize(("endpoint", "index"), CASES, ids=[f"{endpoint_id(e)}[{i}]" for e, i in CASES])
def test_sync_call_sends_the_documented_request_and_decodes_the_example(
    server: Server, endpoint: ir.Endpoint, index: int
) -> None:
    data = response_of(endpoint, index)
    server.handler = lambda request: Reply.of_json(data)
    call = sample_call(API, endpoint)
    with client(server) as c:
        result = method_of(c, endpoint)(*call.args, **call.kwargs)
    (request,) = server.requests
    assert_sent(request, endpoint, call)
    assert result == decoded(endpoint, data)
    assert encode(result) == data


@pytest.mark.parametrize(("endpoint", "index"), CASES, ids=[f"{endpoint_id(e)}[{i}]" for e, i in CASES])
def test_async_call_sends_the_documented_request_and_decodes_the_example(
    server: Server, endpoint: ir.Endpoint, index: int
) -> None:
    data = response_of(endpoint, index)
    server.handler = lambda request: Reply.of_json(data)
    call = sample_call(API, endpoint)

    async def main() -> object:
        async with aclient(server) as c:
            return await method_of(c, endpoint)(*call.args, **call.kwargs)

    result = asyncio.run(main())
    (request,) = server.requests
    assert_sent(request, endpoint, call)
    assert result == decoded(endpoint, data, AsyncCursorPage)
    assert encode(result) == data


def required_params(endpoint: ir.Endpoint) -> dict[str, str]:
    """Python name to wire name of each parameter the call cannot do without."""
    names = {p.name: p.wire_name for p in endpoint.query_params if p.required}
    for m in API.modules:
        for d in m.definitions:
            if ir.Ref(m.path, d.name) == endpoint.body and isinstance(d, ir.ObjectDef):
                names |= {f.name: f.wire_name for f in d.fields if f.required}
    return names


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=endpoint_id)
def test_optional_parameters_not_given_are_left_out(server: Server, endpoint: ir.Endpoint) -> None:
    call = sample_call(API, endpoint)
    required = required_params(endpoint)
    server.handler = lambda request: Reply.of_json(sample_response(API, endpoint))
    with client(server) as c:
        method_of(c, endpoint)(*call.args, **{k: v for k, v in call.kwargs.items() if k in required})
    (request,) = server.requests
    body = request.json()
    sent = set(request.query_dict()) | set(body if isinstance(body, dict) else {})
    assert {k.removesuffix("[]") for k in sent} == set(required.values())


def test_none_is_sent_as_null(server: Server) -> None:
    endpoint = next(e for e in ENDPOINTS if e.body is not None)
    call = sample_call(API, endpoint)
    assert isinstance(call.body, dict)
    name = next(iter(call.body))
    server.handler = lambda request: Reply.of_json(sample_response(API, endpoint))
    with client(server) as c:
        method_of(c, endpoint)(*call.args, **{**call.kwargs, name: None}, extra_body={"extra": 1})
    assert server.requests[0].json() == {**call.body, name: None, "extra": 1}


# -- pagination ---------------------------------------------------------------------------------------


def pages_of(endpoint: ir.Endpoint) -> list[dict[str, Any]]:
    """Three pages made of the example's items, chained by their cursors."""
    example = response_of(endpoint, 0)
    assert isinstance(example, dict)
    items = example["data"] or [sample_response(API, endpoint)["data"][0]]
    pages = []
    for k in range(3):
        data = [dict(item, id=f"item_{k}_{j}") if "id" in item else item for j, item in enumerate(items * 2)]
        pages.append({"object": "list", "data": data, "first_id": f"c{k}a", "last_id": f"c{k}z", "has_more": k < 2})
    return pages


def paging_handler(pages: list[dict[str, Any]]) -> Any:
    def handler(request: Recorded) -> Reply:
        after = request.query_dict().get("after", [None])[0]
        index = 0 if after is None else 1 + [p["last_id"] for p in pages].index(after)
        return Reply.of_json(pages[index])

    return handler


@pytest.mark.parametrize("endpoint", PAGINATED, ids=endpoint_id)
def test_iterating_a_page_walks_every_page_sync(server: Server, endpoint: ir.Endpoint) -> None:
    pages = pages_of(endpoint)
    server.handler = paging_handler(pages)
    call = sample_call(API, endpoint)
    kwargs = {k: v for k, v in call.kwargs.items() if k != "after"}
    with client(server) as c:
        first = method_of(c, endpoint)(*call.args, **kwargs)
        items = list(first)
        assert [p.last_id for p in first.iter_pages()] == ["c0z", "c1z", "c2z"]
    expected = [x for p in pages for x in decoded(endpoint, p).data]  # type: ignore[attr-defined]
    assert items == expected and len(items) == 3 * len(pages[0]["data"])
    assert [r.query_dict().get("after") for r in server.requests[:3]] == [None, ["c0z"], ["c1z"]]
    for request in server.requests:
        assert {k: v for k, v in request.query_dict().items() if k != "after"} == {
            k: v for k, v in call.query.items() if k != "after"
        }


@pytest.mark.parametrize("endpoint", PAGINATED, ids=endpoint_id)
def test_iterating_a_page_walks_every_page_async(server: Server, endpoint: ir.Endpoint) -> None:
    pages = pages_of(endpoint)
    server.handler = paging_handler(pages)
    call = sample_call(API, endpoint)
    kwargs = {k: v for k, v in call.kwargs.items() if k != "after"}

    async def main() -> list[object]:
        async with aclient(server) as c:
            first = await method_of(c, endpoint)(*call.args, **kwargs)
            assert isinstance(first, AsyncCursorPage)
            return [item async for item in first]

    items = asyncio.run(main())
    expected = [x for p in pages for x in decoded(endpoint, p).data]  # type: ignore[attr-defined]
    assert items == expected
    assert [r.query_dict().get("after") for r in server.requests] == [None, ["c0z"], ["c1z"]]


def test_a_last_page_without_cursor_ends_the_walk(server: Server) -> None:
    endpoint, *_ = PAGINATED
    page = dict(pages_of(endpoint)[0], has_more=True, last_id=None)
    server.handler = lambda request: Reply.of_json(page)
    call = sample_call(API, endpoint)
    with client(server) as c:
        assert len(list(method_of(c, endpoint)(*call.args))) == len(page["data"])
    assert len(server.requests) == 1


@pytest.mark.parametrize("endpoint", PAGINATED, ids=endpoint_id)
def test_a_server_repeating_its_cursor_cannot_loop_the_walk(server: Server, endpoint: ir.Endpoint) -> None:
    page = dict(pages_of(endpoint)[0], has_more=True)
    server.handler = lambda request: Reply.of_json(page)
    call = sample_call(API, endpoint)
    with client(server) as c:
        assert len(list(method_of(c, endpoint)(*call.args))) == len(page["data"])

    async def main() -> int:
        async with aclient(server) as c:
            return len([x async for x in await method_of(c, endpoint)(*call.args)])

    assert asyncio.run(main()) == len(page["data"])
    assert len(server.requests) == 4


# -- raw responses ------------------------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=endpoint_id)
def test_raw_response_gives_status_headers_and_the_value(server: Server, endpoint: ir.Endpoint) -> None:
    data = response_of(endpoint, 0)
    server.handler = lambda request: Reply.of_json(data, 201, {"x-request-id": "req_42", "x-extra": "yes"})
    call = sample_call(API, endpoint)
    with client(server) as c:
        raw = method_of(c.with_raw_response, endpoint)(*call.args, **call.kwargs)
        resource = c
        for part in endpoint.resource:
            resource = getattr(resource, part)
        again = getattr(resource.with_raw_response, endpoint.method_name)(*call.args, **call.kwargs)
    assert (raw.status_code, raw.request_id, raw.headers["x-extra"]) == (201, "req_42", "yes")
    assert raw.http_request.method == endpoint.http_method
    assert raw.parse() == decoded(endpoint, data) == again.parse()
    assert_sent(server.requests[0], endpoint, call)

    async def main() -> Any:
        async with aclient(server) as c:
            return await method_of(c.with_raw_response, endpoint)(*call.args, **call.kwargs)

    araw = asyncio.run(main())
    assert (araw.status_code, araw.headers["x-request-id"]) == (201, "req_42")
    assert araw.parse() == decoded(endpoint, data, AsyncCursorPage)


# -- safety -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", WITH_PATH_PARAMS, ids=endpoint_id)
@pytest.mark.parametrize("value", ["../x", "a/b", "a?b=c#d", "%2F", "ü"])
def test_path_params_cannot_change_the_path(server: Server, endpoint: ir.Endpoint, value: str) -> None:
    server.handler = lambda request: Reply.of_json(sample_response(API, endpoint))
    values = {p.name: value for p in endpoint.path_params}
    call = sample_call(API, endpoint, values)
    with client(server) as c:
        method_of(c, endpoint)(*call.args, **call.kwargs)
    (request,) = server.requests
    assert request.path == "/v1" + call.path
    assert request.path.count("/") == endpoint.path.count("/") + 1
    assert request.query_dict() == call.query


@pytest.mark.parametrize("endpoint", WITH_PATH_PARAMS, ids=endpoint_id)
def test_empty_path_params_raise_before_any_request(server: Server, endpoint: ir.Endpoint) -> None:
    call = sample_call(API, endpoint)
    with client(server) as c:
        for i, p in enumerate(endpoint.path_params):
            args = list(call.args)
            args[i] = ""
            with pytest.raises(ValueError, match=p.name):
                method_of(c, endpoint)(*args, **call.kwargs)

    async def main() -> None:
        async with aclient(server) as c:
            with pytest.raises(ValueError):
                await method_of(c, endpoint)(*([""] * len(call.args)), **call.kwargs)

    asyncio.run(main())
    assert server.requests == []


@pytest.mark.parametrize("endpoint", WITH_PATH_PARAMS, ids=endpoint_id)
@pytest.mark.parametrize("value", [".", ".."])
def test_dot_segments_raise_before_any_request(server: Server, endpoint: ir.Endpoint, value: str) -> None:
    call = sample_call(API, endpoint)
    with client(server) as c, pytest.raises(ValueError):
        method_of(c, endpoint)(*([value] * len(call.args)), **call.kwargs)
    assert server.requests == []


def test_the_api_key_never_shows(server: Server, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    from openai_api import _base_client

    server.handler = lambda request: Reply.of_json({"error": {"message": "bad key"}}, 401)
    endpoint = ENDPOINTS[0]
    call = sample_call(API, endpoint)
    seen: list[str] = []
    with client(server, max_retries=1) as c:
        seen.append(repr(c))
        with pytest.raises(AuthenticationError) as info:
            method_of(c, endpoint)(*call.args, **call.kwargs)
        seen += [str(info.value), repr(info.value), repr(c.with_raw_response)]
    original = _base_client._sleep
    _base_client._sleep = lambda s: None  # type: ignore[assignment]
    try:
        failing = Client(api_key=KEY, base_url="http://127.0.0.1:9/v1", max_retries=1)
        with pytest.raises(APIConnectionError) as down:
            method_of(failing, endpoint)(*call.args, **call.kwargs)
        seen += [str(down.value), repr(down.value), str(down.value.__cause__)]
    finally:
        _base_client._sleep = original
    seen += [r.getMessage() for r in caplog.records]
    assert any("retry" in line for line in seen), seen
    assert len(server.requests) == 1 and server.requests[0].headers["authorization"] == f"Bearer {KEY}"
    for line in seen:
        assert KEY not in line, line


# -- the typed usage example --------------------------------------------------------------------------


ROUTED: list[str] = []


def routing_handler(request: Recorded) -> Reply:
    """Answer any endpoint of the IR with its example; ids containing ``missing`` are not found."""
    import re

    if "missing" in request.path:
        return Reply.of_json({"error": {"message": "not found"}}, 404, {"x-request-id": "req_404"})
    for endpoint in ENDPOINTS:
        pattern = re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape("/v1" + endpoint.path))
        if request.method == endpoint.http_method and re.fullmatch(pattern, request.path):
            ROUTED.append(endpoint_id(endpoint))
            if endpoint.stream_event is not None and request.query_dict().get("stream") == ["true"]:
                event = json.dumps(Sampler(API).value(endpoint.stream_event)).encode()
                chunks = [b"data: " + event + b"\n\n", b"data: [DONE]\n\n"]
                return Reply(200, headers={"Content-Type": "text/event-stream"}, chunks=chunks)
            return Reply.of_json(sample_response(API, endpoint))
    return Reply.of_json({"error": {"message": "no such route"}}, 400)


def called_methods(function: str) -> set[str]:
    """``resource.method`` of every call on ``client`` in the usage example's ``function``."""
    import ast
    from pathlib import Path

    tree = ast.parse(Path(__file__).with_name("usage_example.py").read_text())
    (body,) = [n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name == function]
    found = set()
    for node in ast.walk(body):
        if isinstance(node, ast.Call):
            chain: list[str] = []
            target = node.func
            while isinstance(target, ast.Attribute):
                chain.insert(0, target.attr)
                target = target.value
            if isinstance(target, ast.Name) and target.id == "client":
                found.add(".".join(c for c in chain if c != "with_raw_response"))
    return found


@pytest.mark.parametrize("function", ["every_method", "every_method_async"])
def test_the_usage_example_calls_every_endpoint(function: str) -> None:
    missing = {endpoint_id(e) for e in API.endpoints} - called_methods(function)
    assert not missing, f"extend tests/usage_example.py::{function} with {sorted(missing)}"


def test_the_usage_example_runs_against_the_server(server: Server) -> None:
    from tests.usage_example import every_method, every_method_async

    server.handler = routing_handler
    ROUTED.clear()
    with client(server) as c:
        every_method(c)
    assert set(ROUTED) == {endpoint_id(e) for e in ENDPOINTS}

    async def main() -> list[object]:
        async with aclient(server) as c:
            return await every_method_async(c)

    ROUTED.clear()
    asyncio.run(main())
    assert set(ROUTED) == {endpoint_id(e) for e in ENDPOINTS}


# -- configuration ------------------------------------------------------------------------------------


def test_key_and_base_url_come_from_the_environment(server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-env")
    monkeypatch.setenv("OPENAI_BASE_URL", server.url + "/v1")
    endpoint = ENDPOINTS[0]
    call = sample_call(API, endpoint)
    server.handler = lambda request: Reply.of_json(sample_response(API, endpoint))
    with Client(default_headers={"X-Team": "docs"}) as c:
        assert (c.timeout.read, c.timeout.connect, c.max_retries) == (600.0, 5.0, 2)
        method_of(c, endpoint)(*call.args, **call.kwargs, extra_headers={"X-Call": "1"}, extra_query={"q": "v"})
    (request,) = server.requests
    assert request.headers["authorization"] == "Bearer sk-from-env"
    assert (request.headers["x-team"], request.headers["x-call"]) == ("docs", "1")
    assert request.query_dict()["q"] == ["v"]
    monkeypatch.delenv("OPENAI_API_KEY")
    with pytest.raises(ValueError, match="OPENAI_API_KEY"):
        Client()


def test_a_custom_transport_is_used(server: Server) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=sample_response(API, ENDPOINTS[0]))

    http = httpx.Client(transport=httpx.MockTransport(handler))
    call = sample_call(API, ENDPOINTS[0])
    with Client(api_key=KEY, base_url="https://example.invalid/v1", http_client=http) as c:
        method_of(c, ENDPOINTS[0])(*call.args, **call.kwargs, timeout=httpx.Timeout(3.0, connect=1.0))
    assert len(seen) == 1 and server.requests == []
    assert seen[0].extensions["timeout"] == {"connect": 1.0, "read": 3.0, "write": 3.0, "pool": 3.0}
