"""Streamed calls: server-sent events split anywhere arrive as typed events, sync and async, and resume.

Until the docs give an endpoint a streamed form (``ir.Endpoint.stream_event``), the tests give one to a
copy of the IR, render it as its own package and call it over HTTP; every endpoint of the real IR that
has a streamed form is exercised the same way.
"""

from __future__ import annotations

import asyncio
import dataclasses
import gc
import importlib
import json
import subprocess
import sys
import types
from pathlib import Path
from typing import Any

import httpx
import pytest

from generator import ir
from generator.diagnostics import Span
from generator.render import render
from tests.client_calls import Sampler, endpoint_id, method_of, sample_call, sample_response
from tests.http_server import Recorded, Reply, Server
from tests.snapshot import current_api

API = current_api()
PROBE = "streamprobe_api"


def probe_endpoint(api: ir.Api) -> ir.Endpoint:
    """A GET of the real IR returning a union, given a streamed form the way the docs give one."""
    defs = {ir.Ref(m.path, d.name): d for m in api.modules for d in m.definitions}
    base = next(
        e
        for e in api.endpoints
        if e.http_method == "GET"
        and not e.paginated
        and isinstance(e.returns, ir.Ref)
        and isinstance(defs.get(e.returns), ir.UnionDef)
    )
    span = Span(base.span.file, base.span.line, base.span.col)
    extra = (
        ir.Param("stream", "stream", ir.PrimitiveType(ir.Primitive.BOOL), False, "Stream the result.", span),
        ir.Param("starting_after", "starting_after", ir.PrimitiveType(ir.Primitive.INT), False, "Resume.", span),
    )
    return dataclasses.replace(base, query_params=base.query_params + extra, stream_event=base.returns)


@pytest.fixture(scope="module")
def probe(tmp_path_factory: pytest.TempPathFactory) -> tuple[types.ModuleType, ir.Endpoint, Path]:
    """The package rendered from the IR with one streamed endpoint, imported as ``streamprobe_api``."""
    endpoint = probe_endpoint(API)
    endpoints = tuple(endpoint if endpoint_id(e) == endpoint_id(endpoint) else e for e in API.endpoints)
    api = dataclasses.replace(API, package=PROBE, endpoints=endpoints)
    root = tmp_path_factory.mktemp("probe")
    for name, text in render(api).items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    sys.path.insert(0, str(root))
    return importlib.import_module(PROBE), endpoint, root


def streamed_endpoints() -> list[ir.Endpoint]:
    return [e for e in API.endpoints if e.stream_event is not None]


# -- the events ---------------------------------------------------------------------------------------


def event_payloads(endpoint: ir.Endpoint, from_docs: bool = True) -> list[dict[str, Any]]:
    """Objects of the event type: the items the docs' examples show for it, else a sample of each variant."""
    found: list[dict[str, Any]] = []
    for e in API.endpoints:
        if not from_docs or e.returns != endpoint.stream_event:
            continue
        for example in e.examples:
            data = json.loads(example.response)
            found += data["data"] if e.paginated else [data]
    if len(found) < 2:
        sampler = Sampler(API)
        event = sampler.defs[endpoint.stream_event]  # type: ignore[index]
        members = event.members if isinstance(event, ir.UnionDef) else (endpoint.stream_event,)
        found = [sampler.value(m) for m in members]  # type: ignore[arg-type]
    assert len(found) >= 2, "too few objects of the event type"
    # A multi-byte character, so that chunks also split inside UTF-8 sequences.
    return [dict(item, id=f"évènement_{i}✓") if "id" in item else item for i, item in enumerate(found)]


def sse_body(payloads: list[dict[str, Any]], first: int = 0, newline: str = "\n") -> bytes:
    lines = [": a comment the client ignores", "retry: 1000", ""]
    for i, payload in enumerate(payloads[first:], start=first):
        lines += [
            f"event: {payload.get('type', 'event')}",
            f"id: {i}",
            "data: " + json.dumps(payload, ensure_ascii=False),
            "",
        ]
    lines += ["data: [DONE]", "", ""]
    return newline.join(lines).encode()


def split(body: bytes, size: int) -> list[bytes]:
    return [body[i : i + size] for i in range(0, len(body), size)]


def streaming_handler(
    endpoint: ir.Endpoint, payloads: list[dict[str, Any]], newline: str = "\n", hold_open: bool = False
) -> Any:
    def handler(request: Recorded) -> Reply:
        query = request.query_dict()
        if query.get("stream") != ["true"]:
            return Reply.of_json(sample_response(API, endpoint))
        first = int(query["starting_after"][0]) + 1 if "starting_after" in query else 0
        body = sse_body(payloads, first, newline)
        if hold_open:
            body = body[: body.index(b"data: [DONE]")]
        headers = {"Content-Type": "text/event-stream"}
        return Reply(200, headers=headers, chunks=split(body, 7), hold_open=hold_open)

    return handler


def clients(package: types.ModuleType, server: Server) -> tuple[Any, Any]:
    sync = package.Client(
        api_key="k", base_url=server.url + "/v1", max_retries=0, http_client=httpx.Client(verify=False)
    )
    http = httpx.AsyncClient(verify=False)
    return sync, package.AsyncClient(api_key="k", base_url=server.url + "/v1", max_retries=0, http_client=http)


def decoded(package: types.ModuleType, endpoint: ir.Endpoint, payloads: list[dict[str, Any]]) -> list[object]:
    assert isinstance(endpoint.stream_event, ir.Ref)
    module = importlib.import_module(f"{package.__name__}.{'.'.join(endpoint.stream_event.module)}")
    event_type = getattr(module, endpoint.stream_event.name)
    return [package.decode(event_type, p) for p in payloads]


# -- the tests ----------------------------------------------------------------------------------------


def check_streaming(
    package: types.ModuleType, endpoint: ir.Endpoint, server: Server, newline: str, from_docs: bool = True
) -> None:
    payloads = event_payloads(endpoint, from_docs)
    server.handler = streaming_handler(endpoint, payloads, newline)
    call = sample_call(API, endpoint)
    kwargs = {k: v for k, v in call.kwargs.items() if k != "starting_after"}
    sync, async_ = clients(package, server)
    expected = decoded(package, endpoint, payloads)

    with method_of(sync, endpoint)(*call.args, stream=True, **kwargs) as stream:
        assert isinstance(stream, package.Stream)
        assert list(stream) == expected
    assert stream.response.is_closed

    async def main() -> list[object]:
        async with async_:
            stream = await method_of(async_, endpoint)(*call.args, stream=True, **kwargs)
            assert isinstance(stream, package.AsyncStream)
            events = [event async for event in stream]
            assert stream.response.is_closed
            return events

    assert asyncio.run(main()) == expected
    for request in server.requests:
        assert request.method == endpoint.http_method and request.path == "/v1" + call.path
        assert request.query_dict()["stream"] == ["true"] and request.headers["accept"] == "text/event-stream"
        assert {k: v for k, v in request.query_dict().items() if k != "stream"} == {
            k: v for k, v in call.query.items() if k != "starting_after"
        }

    # Without stream=True the same method returns one decoded object.
    assert isinstance(endpoint.returns, ir.Ref)
    module = importlib.import_module(f"{package.__name__}.{'.'.join(endpoint.returns.module)}")
    plain = package.decode(getattr(module, endpoint.returns.name), sample_response(API, endpoint))
    assert method_of(sync, endpoint)(*call.args, **kwargs) == plain
    assert method_of(sync, endpoint)(*call.args, stream=False, **kwargs) == plain
    assert server.requests[-1].query_dict().get("stream") == ["false"]
    sync.close()


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr"])
def test_events_split_mid_line_arrive_typed_and_in_order(probe: Any, server: Server, newline: str) -> None:
    package, endpoint, _ = probe
    check_streaming(package, endpoint, server, newline)


def test_every_variant_of_the_event_type_streams(probe: Any, server: Server) -> None:
    package, endpoint, _ = probe
    check_streaming(package, endpoint, server, "\n", from_docs=False)


@pytest.mark.parametrize("endpoint", streamed_endpoints(), ids=endpoint_id)
def test_every_streamed_endpoint_of_the_docs(server: Server, endpoint: ir.Endpoint) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "generated"))
    check_streaming(importlib.import_module(API.package), endpoint, server, "\n")


def test_an_abandoned_stream_closes_its_connection_and_resumes(probe: Any, server: Server) -> None:
    package, endpoint, _ = probe
    payloads = event_payloads(endpoint)
    expected = decoded(package, endpoint, payloads)
    call = sample_call(API, endpoint)
    kwargs = {k: v for k, v in call.kwargs.items() if k != "starting_after"}
    sync, _ = clients(package, server)

    server.handler = streaming_handler(endpoint, payloads, hold_open=True)
    stream = method_of(sync, endpoint)(*call.args, stream=True, **kwargs)
    events = [next(stream), next(stream)]
    del stream
    gc.collect()
    assert server.client_closed.wait(10), "the dropped stream kept its connection open"

    server.handler = streaming_handler(endpoint, payloads)
    with method_of(sync, endpoint)(*call.args, stream=True, starting_after=1, **kwargs) as rest:
        events += list(rest)
    assert events == expected
    assert server.requests[-1].query_dict()["starting_after"] == ["1"]
    sync.close()


def test_an_async_stream_closed_early_releases_its_connection(probe: Any, server: Server) -> None:
    package, endpoint, _ = probe
    payloads = event_payloads(endpoint)
    call = sample_call(API, endpoint)
    kwargs = {k: v for k, v in call.kwargs.items() if k != "starting_after"}
    server.handler = streaming_handler(endpoint, payloads, hold_open=True)
    _, async_ = clients(package, server)

    async def main() -> object:
        async with async_:
            async with await method_of(async_, endpoint)(*call.args, stream=True, **kwargs) as stream:
                first = await stream.__anext__()
            assert stream.response.is_closed
            return first

    assert asyncio.run(main()) == decoded(package, endpoint, payloads)[0]
    assert server.client_closed.wait(10), "the closed stream kept its connection open"


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("fault", ["reset", "silence"])
def test_a_stream_cut_or_gone_silent_raises_a_typed_error(probe: Any, server: Server, mode: str, fault: str) -> None:
    package, endpoint, _ = probe
    payloads = event_payloads(endpoint)
    body = sse_body(payloads)
    head = body[: body.index(b"\n\n", body.index(b"data: {")) + 2]  # the first event, then the fault
    headers = {"Content-Type": "text/event-stream"}
    if fault == "reset":
        server.handler = lambda request: Reply(200, headers=headers, chunks=[head], fault="reset")
    else:
        server.handler = lambda request: Reply(200, headers=headers, chunks=[head], hold_open=True)
    error = package.APITimeoutError if fault == "silence" else package.APIConnectionError
    call = sample_call(API, endpoint)
    sync, async_ = clients(package, server)
    got: list[object] = []
    if mode == "sync":
        with pytest.raises(error) as info:
            for event in method_of(sync, endpoint)(*call.args, stream=True, timeout=0.3):
                got.append(event)  # noqa: PERF402 - the events before the error must be kept
        sync.close()
    else:

        async def main() -> None:
            async with async_:
                async for event in await method_of(async_, endpoint)(*call.args, stream=True, timeout=0.3):
                    got.append(event)

        with pytest.raises(error) as info:
            asyncio.run(main())
    assert got == decoded(package, endpoint, payloads)[:1]
    assert (fault == "silence") == isinstance(info.value, package.APITimeoutError)


@pytest.mark.parametrize("data", [b"not json", b"[" * 100_000 + b"]" * 100_000], ids=["text", "deep"])
def test_an_event_that_is_not_json_raises_decode_error(probe: Any, server: Server, data: bytes) -> None:
    package, endpoint, _ = probe
    body = b"data: " + data + b"\n\n"
    server.handler = lambda request: Reply(200, headers={"Content-Type": "text/event-stream"}, chunks=[body])
    call = sample_call(API, endpoint)
    sync, _ = clients(package, server)
    with pytest.raises(package.DecodeError):
        list(method_of(sync, endpoint)(*call.args, stream=True))
    sync.close()


def test_an_error_status_on_a_streamed_call_raises_before_any_event(probe: Any, server: Server) -> None:
    package, endpoint, _ = probe
    server.handler = lambda request: Reply.of_json({"error": {"message": "no such response"}}, 404)
    call = sample_call(API, endpoint)
    sync, _ = clients(package, server)
    with pytest.raises(package.NotFoundError, match="no such response"):
        method_of(sync, endpoint)(*call.args, stream=True)


def test_an_error_event_raises(probe: Any, server: Server) -> None:
    package, endpoint, _ = probe
    body = b'data: {"error": {"message": "overloaded"}}\n\n'
    server.handler = lambda request: Reply(200, headers={"Content-Type": "text/event-stream"}, chunks=[body])
    call = sample_call(API, endpoint)
    sync, _ = clients(package, server)
    with pytest.raises(package.APIError, match="overloaded"):
        list(method_of(sync, endpoint)(*call.args, stream=True))


def test_the_decoder_gives_the_same_events_for_every_split(probe: Any) -> None:
    _, endpoint, _ = probe
    from_module = importlib.import_module(f"{PROBE}._streaming")
    body = sse_body(event_payloads(endpoint), newline="\r\n") + b"data: last, without a blank line"
    whole = from_module.SSEDecoder()
    expected = whole.feed(body) + whole.flush()
    assert [e.data for e in expected][-2:] == ["[DONE]", "last, without a blank line"]
    assert expected[0].event is not None and expected[0].id == "0" and expected[0].retry == 1000
    for cut in range(1, len(body), 3):
        decoder = from_module.SSEDecoder()
        assert decoder.feed(body[:cut]) + decoder.feed(body[cut:]) + decoder.flush() == expected, cut


def test_type_checkers_see_the_overloads(probe: Any) -> None:
    _, endpoint, root = probe
    assert isinstance(endpoint.returns, ir.Ref)
    returns = endpoint.returns
    chain = ".".join((*endpoint.resource, endpoint.method_name))
    args = ", ".join(f'"{p.name}"' for p in endpoint.path_params)
    # Both checkers must flag the wrong assignments: an ignore comment they find unneeded is an error.
    wrong = "# type: ignore[assignment]  # pyright: ignore[reportAssignmentType]"
    usage = f"""
from {PROBE} import AsyncClient, AsyncStream, Client, Stream
from {PROBE}.{".".join(returns.module)} import {returns.name} as Event


def sync(client: Client, flag: bool) -> list[object]:
    events: Stream[Event] = client.{chain}({args}, stream=True)
    one: Event = client.{chain}({args})
    also: Event = client.{chain}({args}, stream=False)
    either: Event | Stream[Event] = client.{chain}({args}, stream=flag)
    wrong: Event = client.{chain}({args}, stream=True)  {wrong}
    same: list[Event] = list(events)
    return [one, also, either, wrong, same]


async def main(client: AsyncClient) -> list[object]:
    events: AsyncStream[Event] = await client.{chain}({args}, stream=True)
    one: Event = await client.{chain}({args}, starting_after=3)
    wrong: Event = await client.{chain}({args}, stream=True)  {wrong}
    same: list[Event] = [event async for event in events]
    return [one, wrong, same]
"""
    (root / "usage_stream.py").write_text(usage)
    config = {
        "include": ["usage_stream.py"],
        "pythonVersion": "3.11",
        "enableTypeIgnoreComments": False,
        "reportUnnecessaryTypeIgnoreComment": "error",
    }
    (root / "pyrightconfig.json").write_text(json.dumps(config))
    for command in (
        ["mypy", "--strict", "--no-incremental", "--cache-dir=/dev/null", "usage_stream.py"],
        ["pyright", "--pythonpath", sys.executable, "--project", "."],
    ):
        result = subprocess.run([sys.executable, "-m", *command], cwd=root, capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stdout + result.stderr
