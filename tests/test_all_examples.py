"""Every JSON example of every page decodes into the type its endpoint returns and encodes back exactly."""

from __future__ import annotations

import importlib
import json
import sys
from typing import Any

import pytest

from generator import ir
from tests.conftest import GENERATED
from tests.snapshot import current_api

sys.path.insert(0, str(GENERATED))

from openai_api import decode, encode
from openai_api._runtime import CursorPage, decoder_for

API = current_api()
CASES = [(e, i, ex) for e in API.endpoints for i, ex in enumerate(e.examples)]


def return_type(endpoint: ir.Endpoint) -> Any:
    assert isinstance(endpoint.returns, ir.Ref), endpoint.returns
    module = importlib.import_module(f"{API.package}.{'.'.join(endpoint.returns.module)}")
    return getattr(module, endpoint.returns.name)


def test_every_endpoint_with_a_return_type_has_examples() -> None:
    documented = {(e.resource, e.method_name) for e in API.endpoints if e.examples}
    assert len(documented) >= 9, documented


@pytest.mark.parametrize(
    ("endpoint", "index", "example"),
    CASES,
    ids=[f"{'.'.join(e.resource)}.{e.method_name}[{i}]" for e, i, _ in CASES],
)
def test_example_round_trips(endpoint: ir.Endpoint, index: int, example: ir.Example) -> None:
    data = json.loads(example.response)
    tp = return_type(endpoint)
    if endpoint.paginated:
        page = CursorPage.decoder(decoder_for(tp))(data)
        assert page.to_dict() == data
        assert len(page.data) == len(data["data"])
    else:
        value = decode(tp, data)
        assert encode(value) == data
        assert json.dumps(encode(value), sort_keys=True) == json.dumps(data, sort_keys=True)
