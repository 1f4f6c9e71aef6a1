"""The generated client builds the request the docs describe and decodes the documented response."""

from __future__ import annotations

import json
import sys

import httpx
import pytest

from tests.conftest import GENERATED
from tests.test_examples import EXAMPLES

sys.path.insert(0, str(GENERATED))

from openai_api import AsyncClient, BadRequestError, Client, CompactedResponse

from tests.usage_example import compact


def recording_transport(seen: list[httpx.Request], status: int = 200, body: object = None) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        request.read()
        seen.append(request)
        return httpx.Response(status, json=EXAMPLES[1] if body is None else body)

    return httpx.MockTransport(handler)


def test_compact_sends_the_documented_request_and_decodes_the_example() -> None:
    seen: list[httpx.Request] = []
    result = compact(httpx.Client(transport=recording_transport(seen)))
    assert result == CompactedResponse.from_dict(EXAMPLES[1])
    (request,) = seen
    assert request.method == "POST"
    assert request.url.path == "/v1/responses/compact"
    assert request.headers["authorization"] == "Bearer sk-test"
    assert json.loads(request.content) == {
        "model": "gpt-5.4",
        "input": [{"role": "user", "content": "Hello"}],
        "previous_response_id": "resp_123",
    }


def test_parameters_not_given_are_omitted_and_none_is_sent() -> None:
    seen: list[httpx.Request] = []
    client = Client(
        api_key="k", base_url="http://test/v1", http_client=httpx.Client(transport=recording_transport(seen))
    )
    client.responses.compact(model="o3", instructions=None, extra_body={"x": 1}, extra_headers={"X-Extra": "1"})
    assert json.loads(seen[0].content) == {"model": "o3", "instructions": None, "x": 1}
    assert seen[0].headers["x-extra"] == "1"


def test_error_status_raises_typed_error_without_the_key() -> None:
    seen: list[httpx.Request] = []
    transport = recording_transport(seen, 400, {"error": {"message": "bad model"}})
    client = Client(api_key="sk-secret", base_url="http://test/v1", http_client=httpx.Client(transport=transport))
    with pytest.raises(BadRequestError) as info:
        client.responses.compact(model="nope")
    assert info.value.status_code == 400 and "bad model" in str(info.value)
    assert "sk-secret" not in repr(client) and "sk-secret" not in str(info.value)


def test_async_client() -> None:
    import asyncio

    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=EXAMPLES[0])

    async def main() -> CompactedResponse:
        http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
        async with AsyncClient(api_key="k", base_url="http://test/v1", http_client=http) as client:
            return await client.responses.compact(model="gpt-5.4")

    assert asyncio.run(main()).to_dict() == EXAMPLES[0]
    assert seen[0].url.path == "/v1/responses/compact"
