"""Typed usage of the generated package: type-checked by tests/test_typecheck.py, run by the client tests.

It calls every method of the client, sync and async, plain and raw, so that a change to any signature
or return type shows up as a type error here.
"""

from __future__ import annotations

import httpx
from openai_api import (
    APIResponse,
    AsyncClient,
    AsyncCursorPage,
    Client,
    CompactedResponse,
    Conversation,
    ConversationDeletedResource,
    ConversationItem,
    ConversationItemList,
    CursorPage,
    NotFoundError,
    Response,
    ResponseItem,
    decode,
    encode,
)
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


def every_method(client: Client) -> list[object]:
    """Each endpoint once, with the types a caller sees."""
    message: EasyInputMessageParam = {"role": "user", "content": "Hello"}
    created: Conversation = client.conversations.create(items=[message], metadata={"topic": "demo"})
    fetched: Conversation = client.conversations.retrieve(created.id)
    updated: Conversation = client.conversations.update("conv_123", metadata={"topic": "other"})
    deleted: ConversationDeletedResource = client.conversations.delete("conv_123", timeout=10.0)
    added: ConversationItemList = client.conversations.items.create("conv_123", items=[message], include=[])
    page: CursorPage[ConversationItem] = client.conversations.items.list("conv_123", limit=10, order="asc")
    everything: list[ConversationItem] = list(page)
    first: ConversationItem = client.conversations.items.retrieve("conv_123", "msg_abc", extra_headers={"X-A": "1"})
    after_delete: Conversation = client.conversations.items.delete("conv_123", "msg_abc")
    compacted: CompactedResponse = client.responses.compact(model="gpt-5.4", previous_response_id="resp_123")
    response: Response = client.responses.retrieve("resp_123")
    inputs: CursorPage[ResponseItem] = client.responses.input_items.list("resp_123")
    raw: APIResponse[Conversation] = client.with_raw_response.conversations.retrieve("conv_123")
    status: int = raw.status_code
    request_id: str | None = raw.request_id
    parsed: Conversation = raw.parse()
    raw_page: APIResponse[CursorPage[ConversationItem]] = client.conversations.items.with_raw_response.list("c")
    next_page: CursorPage[ConversationItem] | None = raw_page.parse().get_next_page()
    try:
        client.conversations.retrieve("conv_missing", extra_query={"trace": "1"})
    except NotFoundError as error:
        code: int = error.status_code
        assert code == 404 and error.request_id != "" and error.body is not None
    return [
        created,
        fetched,
        updated,
        deleted,
        added,
        page,
        everything,
        first,
        after_delete,
        compacted,
        response,
        inputs,
        status,
        request_id,
        parsed,
        next_page,
    ]


async def every_method_async(client: AsyncClient) -> list[object]:
    """Each endpoint once through the async client."""
    message: EasyInputMessageParam = {"role": "user", "content": "Hello"}
    created: Conversation = await client.conversations.create(items=[message], metadata={})
    fetched: Conversation = await client.conversations.retrieve(created.id)
    updated: Conversation = await client.conversations.update("conv_123", metadata={})
    deleted: ConversationDeletedResource = await client.conversations.delete("conv_123")
    added: ConversationItemList = await client.conversations.items.create("conv_123", items=[message])
    page: AsyncCursorPage[ConversationItem] = await client.conversations.items.list("conv_123")
    everything: list[ConversationItem] = [item async for item in page]
    first: ConversationItem = await client.conversations.items.retrieve("conv_123", "msg_abc")
    after_delete: Conversation = await client.conversations.items.delete("conv_123", "msg_abc")
    compacted: CompactedResponse = await client.responses.compact(model="o3", previous_response_id="resp_1")
    response: Response = await client.responses.retrieve("resp_1")
    inputs: AsyncCursorPage[ResponseItem] = await client.responses.input_items.list("resp_1")
    raw: APIResponse[CompactedResponse] = await client.with_raw_response.responses.compact(model="o3")
    parsed: CompactedResponse = raw.parse()
    done = [created, fetched, updated, deleted, added, page, everything, first, after_delete, compacted]
    return [*done, response, inputs, parsed]
