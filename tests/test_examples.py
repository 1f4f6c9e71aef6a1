"""Every JSON example in the docs decodes into the generated models and encodes back to the same JSON."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

from tests.conftest import GENERATED, SPECS

sys.path.insert(0, str(GENERATED))

import openai_api
from openai_api import CompactedResponse, DecodeError, UnknownVariant, decode, encode

HTTP_PAGE = SPECS / "http" / "responses.compact.md"


def json_examples(page: Path) -> list[object]:
    return [json.loads(block) for block in re.findall(r"```json\n(.*?)```", page.read_text(), re.DOTALL)]


EXAMPLES = json_examples(HTTP_PAGE)


def test_the_page_has_two_examples() -> None:
    assert len(EXAMPLES) == 2


@pytest.mark.parametrize("example", EXAMPLES, ids=["stub", "handwritten"])
def test_example_round_trips(example: dict[str, object]) -> None:
    value = CompactedResponse.from_dict(example)
    assert value.to_dict() == example
    assert encode(decode(CompactedResponse, example)) == example
    # The same JSON text, not only equal data: integers stay integers.
    assert json.dumps(value.to_dict(), sort_keys=True) == json.dumps(example, sort_keys=True)


def test_decoded_values_are_typed() -> None:
    value = CompactedResponse.from_dict(EXAMPLES[1])
    message, compaction = value.output
    assert type(message).__name__ == "Message" and message.role == "user"
    assert type(compaction).__name__ == "OutputCompaction"
    assert value.usage.output_tokens_details.reasoning_tokens == 64


def test_unknown_fields_are_kept_and_written_back() -> None:
    data = json.loads(json.dumps(EXAMPLES[0]))
    data["brand_new"] = {"x": [1, 2]}
    data["usage"]["also_new"] = True
    value = CompactedResponse.from_dict(data)
    assert value.unknown_fields == {"brand_new": {"x": [1, 2]}}
    assert value.to_dict() == data


def test_unknown_union_tag_keeps_the_raw_object() -> None:
    data = json.loads(json.dumps(EXAMPLES[0]))
    data["output"].append({"type": "from_the_future", "id": "x"})
    value = CompactedResponse.from_dict(data)
    assert value.output[-1] == UnknownVariant({"type": "from_the_future", "id": "x"})
    assert value.to_dict() == data


def test_explicit_null_of_an_optional_field_round_trips() -> None:
    data = json.loads(json.dumps(EXAMPLES[0]))
    data["output"][0]["phase"] = None
    assert CompactedResponse.from_dict(data).to_dict() == data


@pytest.mark.parametrize(
    ("mutate", "path"),
    [
        (lambda d: d["output"][0]["content"][0].__setitem__("type", 7), "output[0].content[0].type"),
        (lambda d: d["usage"].pop("total_tokens"), "usage.total_tokens"),
        (lambda d: d["output"][0].__setitem__("role", "nobody"), "output[0].role"),
        (lambda d: d.__setitem__("created_at", "yesterday"), "created_at"),
        (lambda d: d["output"].__setitem__(0, []), "output[0]"),
    ],
)
def test_mismatches_raise_decode_error_with_path(mutate: object, path: str) -> None:
    data = json.loads(json.dumps(EXAMPLES[0]))
    mutate(data)  # type: ignore[operator]
    with pytest.raises(DecodeError) as info:
        CompactedResponse.from_dict(data)
    assert info.value.location == path


def test_package_root_reexports_every_root_type() -> None:
    for name in openai_api.__all__:
        assert getattr(openai_api, name) is not None
    assert "CompactedResponse" in dir(openai_api)
