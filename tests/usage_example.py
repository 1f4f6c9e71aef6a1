"""Typed usage of the generated package: type-checked by tests/test_typecheck.py, run by tests/test_client.py."""

from __future__ import annotations

import httpx
from openai_api import Client, CompactedResponse, decode, encode
from openai_api.types.responses.easy_input_message_param import EasyInputMessageParam


def compact(http: httpx.Client) -> CompactedResponse:
    client = Client(api_key="sk-test", base_url="http://127.0.0.1:9/v1", http_client=http, max_retries=0)
    message: EasyInputMessageParam = {"role": "user", "content": "Hello"}
    result = client.responses.compact(model="gpt-5.4", input=[message], previous_response_id="resp_123")
    tokens: float = result.usage.total_tokens
    assert tokens >= 0
    again = decode(CompactedResponse, encode(result))
    assert isinstance(again, CompactedResponse)
    return result
