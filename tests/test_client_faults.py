"""The generated client under faults: retries, backoff, timeouts, resets, slow drips and 5xx storms."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tests.client_calls import method_of, sample_call, sample_response
from tests.conftest import GENERATED
from tests.http_server import Recorded, Reply, Server, closed_port
from tests.snapshot import current_api

sys.path.insert(0, str(GENERATED))

from openai_api import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AsyncClient,
    AuthenticationError,
    BadRequestError,
    Client,
    ConflictError,
    DecodeError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    UnprocessableEntityError,
    _base_client,
    decode,
)

API = current_api()
# Any endpoint does: a GET that returns an object (a plain retrieve) keeps the failures readable.
ENDPOINT = next(e for e in API.endpoints if e.http_method == "GET" and not e.paginated and e.returns is not None)
CALL = sample_call(API, ENDPOINT)
DATA = sample_response(API, ENDPOINT)
RESULT = decode(getattr(__import__(f"{API.package}.{'.'.join(ENDPOINT.returns.module)}", fromlist=["_"]), ENDPOINT.returns.name), DATA)  # type: ignore[union-attr]
MODES = ["sync", "async"]


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The backoff waits the client asked for, recorded instead of slept."""
    waits: list[float] = []

    async def asleep(seconds: float) -> None:
        waits.append(seconds)

    monkeypatch.setattr(_base_client, "_sleep", waits.append)
    monkeypatch.setattr(_base_client, "_asleep", asleep)
    return waits


def call(mode: str, base_url: str, **options: Any) -> object:
    """One call of ENDPOINT with a sync or an async client."""
    if mode == "sync":
        with Client(api_key="k", base_url=base_url, http_client=httpx.Client(verify=False), **options) as c:
            return method_of(c, ENDPOINT)(*CALL.args, **CALL.kwargs)

    async def main() -> object:
        async with AsyncClient(
            api_key="k", base_url=base_url, http_client=httpx.AsyncClient(verify=False), **options
        ) as c:
            return await method_of(c, ENDPOINT)(*CALL.args, **CALL.kwargs)

    return asyncio.run(main())


def script(*replies: Reply) -> Callable[[Recorded], Reply]:
    """Answer with ``replies`` in turn, then repeat the last one."""
    queue = list(replies)

    def handler(request: Recorded) -> Reply:
        return queue.pop(0) if len(queue) > 1 else queue[0]

    return handler


@pytest.mark.parametrize("mode", MODES)
def test_503_then_200_retries_once(server: Server, sleeps: list[float], mode: str) -> None:
    server.handler = script(Reply.of_json({"error": {"message": "busy"}}, 503), Reply.of_json(DATA))
    assert call(mode, server.url, max_retries=2) == RESULT
    assert len(server.requests) == 2 and len(sleeps) == 1
    assert 0.375 <= sleeps[0] <= 0.5


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("header", "value", "wait"), [("retry-after", "3", 3.0), ("retry-after-ms", "1500", 1.5)])
def test_429_waits_as_long_as_retry_after_says(
    server: Server, sleeps: list[float], mode: str, header: str, value: str, wait: float
) -> None:
    limited = Reply.of_json({"error": {"message": "slow down"}}, 429, {header: value})
    server.handler = script(limited, Reply.of_json(DATA))
    assert call(mode, server.url) == RESULT
    assert sleeps == [wait]


def test_an_http_date_retry_after_is_understood(server: Server, sleeps: list[float]) -> None:
    import email.utils
    import time

    later = email.utils.formatdate(time.time() + 30, usegmt=True)
    server.handler = script(Reply.of_json({}, 429, {"retry-after": later}), Reply.of_json(DATA))
    assert call("sync", server.url) == RESULT
    assert len(sleeps) == 1 and 20 < sleeps[0] <= 30


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (422, UnprocessableEntityError),
        (429, RateLimitError),
        (418, APIStatusError),
        (500, InternalServerError),
        (503, InternalServerError),
    ],
)
def test_error_statuses_raise_typed_errors(
    server: Server, sleeps: list[float], status: int, error: type[APIStatusError]
) -> None:
    body = {"error": {"message": f"failed with {status}", "type": "invalid_request_error"}}
    server.handler = lambda request: Reply.of_json(body, status, {"x-request-id": "req_7"})
    with pytest.raises(error) as info:
        call("sync", server.url, max_retries=0)
    assert type(info.value) is error
    assert info.value.status_code == status and info.value.request_id == "req_7"
    assert info.value.body == body and info.value.headers["x-request-id"] == "req_7"
    assert f"failed with {status}" in str(info.value)
    assert len(server.requests) == 1 and sleeps == []


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
def test_other_4xx_are_never_retried(server: Server, sleeps: list[float], status: int) -> None:
    server.handler = lambda request: Reply.of_json({}, status)
    with pytest.raises(APIStatusError):
        call("sync", server.url, max_retries=5)
    assert len(server.requests) == 1 and sleeps == []


@pytest.mark.parametrize("status", [408, 409, 429, 500, 502, 503, 504])
def test_retryable_statuses_are_retried(server: Server, sleeps: list[float], status: int) -> None:
    server.handler = script(Reply.of_json({}, status), Reply.of_json(DATA))
    assert call("sync", server.url, max_retries=1) == RESULT
    assert len(server.requests) == 2 and len(sleeps) == 1


def test_x_should_retry_overrides_the_status(server: Server, sleeps: list[float]) -> None:
    server.handler = lambda request: Reply.of_json({}, 500, {"x-should-retry": "false"})
    with pytest.raises(InternalServerError):
        call("sync", server.url, max_retries=3)
    assert len(server.requests) == 1


@pytest.mark.parametrize("mode", MODES)
def test_a_5xx_storm_ends_after_bounded_retries_with_backoff(server: Server, sleeps: list[float], mode: str) -> None:
    server.handler = lambda request: Reply.of_json({"error": {"message": "down"}}, 500)
    with pytest.raises(InternalServerError):
        call(mode, server.url, max_retries=6)
    assert len(server.requests) == 7
    # 0.5 s doubling to 8 s, each shortened by up to a quarter of jitter.
    ceilings = [0.5, 1, 2, 4, 8, 8]
    assert len(sleeps) == 6
    for wait, ceiling in zip(sleeps, ceilings, strict=True):
        assert 0.75 * ceiling <= wait <= ceiling


@pytest.mark.parametrize("mode", MODES)
def test_a_server_that_never_answers_times_out(server: Server, sleeps: list[float], mode: str) -> None:
    server.handler = lambda request: Reply(fault="hang")
    with pytest.raises(APITimeoutError):
        call(mode, server.url, max_retries=1, timeout=0.2)
    assert len(server.requests) == 2 and len(sleeps) == 1


def test_a_per_call_timeout_overrides_the_client_one(server: Server, sleeps: list[float]) -> None:
    server.handler = lambda request: Reply(fault="hang")
    with Client(api_key="k", base_url=server.url, max_retries=0) as c, pytest.raises(APITimeoutError):
        method_of(c, ENDPOINT)(*CALL.args, **CALL.kwargs, timeout=0.2)


@pytest.mark.parametrize("mode", MODES)
def test_a_closed_port_raises_a_connection_error(sleeps: list[float], mode: str) -> None:
    with pytest.raises(APIConnectionError) as info:
        call(mode, f"http://127.0.0.1:{closed_port()}", max_retries=2)
    assert not isinstance(info.value, APITimeoutError)
    assert len(sleeps) == 2


@pytest.mark.parametrize("mode", MODES)
def test_a_reset_mid_body_is_retried_then_raises(server: Server, sleeps: list[float], mode: str) -> None:
    server.handler = lambda request: Reply(200, b'{"id": "half-way through a body that never ends', fault="reset")
    with pytest.raises(APIConnectionError) as info:
        call(mode, server.url, max_retries=2)
    assert not isinstance(info.value, APITimeoutError)
    assert len(server.requests) == 3 and len(sleeps) == 2


@pytest.mark.parametrize("mode", MODES)
def test_a_reset_then_a_good_answer_succeeds(server: Server, sleeps: list[float], mode: str) -> None:
    body = Reply.of_json(DATA).body
    server.handler = script(Reply(200, body, fault="reset"), Reply.of_json(DATA))
    assert call(mode, server.url, max_retries=1) == RESULT
    assert len(server.requests) == 2


@pytest.mark.parametrize("mode", MODES)
def test_a_slow_drip_cannot_hold_a_call_past_its_timeout(server: Server, sleeps: list[float], mode: str) -> None:
    # Each byte arrives well within the read timeout, but the whole body would take seconds: without
    # a budget for the whole attempt, the call would succeed after waiting that long.
    body = Reply.of_json(DATA).body.ljust(200)
    server.handler = lambda request: Reply(
        200, body, {"Content-Type": "application/json"}, fault="drip", drip_delay=0.03
    )
    with pytest.raises(APITimeoutError):
        call(mode, server.url, max_retries=1, timeout=0.25)
    assert len(server.requests) == 2 and len(sleeps) == 1


def test_a_quick_drip_within_the_timeout_succeeds(server: Server, sleeps: list[float]) -> None:
    body = Reply.of_json(DATA).body
    server.handler = lambda request: Reply(200, body, {"Content-Type": "application/json"}, fault="drip")
    assert call("sync", server.url, max_retries=0, timeout=30) == RESULT


def test_retries_resend_the_same_request(server: Server, sleeps: list[float]) -> None:
    server.handler = script(Reply.of_json({}, 502), Reply.of_json({}, 503), Reply.of_json(DATA))
    assert call("sync", server.url, max_retries=2) == RESULT
    first, *others = server.requests
    for other in others:
        assert (other.method, other.path, other.query, other.body) == (
            first.method,
            first.path,
            first.query,
            first.body,
        )


def test_negative_max_retries_is_refused() -> None:
    with pytest.raises(ValueError, match="max_retries"):
        Client(api_key="k", max_retries=-1)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    "body",
    [b"<html>bad gateway</html>", b"[" * 100_000 + b"]" * 100_000, b'{"id": "\xff\xfe"}', b""],
    ids=["html", "deep", "not-utf8", "empty"],
)
def test_a_2xx_body_that_is_not_json_raises_decode_error(server: Server, mode: str, body: bytes) -> None:
    server.handler = lambda request: Reply(200, body, {"Content-Type": "application/json"})
    with pytest.raises(DecodeError):
        call(mode, server.url, max_retries=0)


def test_an_error_body_nested_too_deeply_is_kept_as_text(server: Server, sleeps: list[float]) -> None:
    body = b"[" * 100_000 + b"]" * 100_000
    server.handler = lambda request: Reply(500, body, {"Content-Type": "application/json"})
    with pytest.raises(InternalServerError) as info:
        call("sync", server.url, max_retries=0)
    assert info.value.body == body.decode()
