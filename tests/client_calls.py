"""Calls of every endpoint built from the IR alone: sample arguments, the request they must become."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from generator import ir


@dataclass(frozen=True)
class Call:
    """One call of an endpoint: positional path values and keyword arguments, plus what goes on the wire."""

    endpoint: ir.Endpoint
    args: tuple[str, ...]
    kwargs: dict[str, Any]
    path: str
    """The path after the base URL's, percent-encoded."""
    query: dict[str, list[str]]
    body: object
    """The JSON body, or ``None`` when the call sends none."""


class Sampler:
    """Small JSON values of any IR type: the first literal, the first union member, required fields only."""

    def __init__(self, api: ir.Api) -> None:
        self.defs: dict[ir.Ref, ir.Definition] = {}
        for m in api.modules:
            for d in m.definitions:
                self.defs[ir.Ref(m.path, d.name)] = d

    def value(self, t: ir.TypeNode, depth: int = 0) -> Any:
        match t:
            case ir.PrimitiveType(kind):
                return {
                    ir.Primitive.STR: "text",
                    ir.Primitive.INT: 3,
                    ir.Primitive.FLOAT: 1.5,
                    ir.Primitive.BOOL: True,
                    ir.Primitive.ANY: {"key": "value"},
                }[kind]
            case ir.LiteralType(values):
                return values[0]
            case ir.ArrayType(item):
                return [] if depth > 8 else [self.value(item, depth + 1)]
            case ir.MapType(value):
                return {} if depth > 8 else {"key": self.value(value, depth + 1)}
            case ir.UnionType(members):
                return self.value(self._simplest(members, depth), depth + 1)
            case ir.Ref():
                return self.definition(self.defs[t], depth)

    def definition(self, d: ir.Definition, depth: int = 0) -> Any:
        match d:
            case ir.ObjectDef(fields=fields):
                return {f.wire_name: self.value(f.type, depth + 1) for f in fields if f.required}
            case ir.UnionDef(members=members):
                return self.value(self._simplest(members, depth), depth + 1)
            case ir.AliasDef(type=inner):
                return self.value(inner, depth + 1)

    def _simplest(self, members: tuple[ir.TypeNode, ...], depth: int) -> ir.TypeNode:
        # Deep inside a recursive type, prefer a member that ends the recursion.
        if depth > 6:
            for m in members:
                if not isinstance(m, ir.Ref):
                    return m
        return members[0]


def _query_values(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    return [("true" if v else "false") if isinstance(v, bool) else str(v) for v in items]


def sample_call(api: ir.Api, endpoint: ir.Endpoint, path_values: dict[str, str] | None = None) -> Call:
    """Every parameter of ``endpoint`` given (except ``stream``), with the request the docs say it becomes."""
    sampler = Sampler(api)
    values = {p.name: (path_values or {}).get(p.name, f"{p.name}_1") for p in endpoint.path_params}
    path = endpoint.path
    for p in endpoint.path_params:
        path = path.replace("{" + p.wire_name + "}", quote(values[p.name], safe="!$&'()*+,;=:@"))
    kwargs: dict[str, Any] = {}
    query: dict[str, list[str]] = {}
    for p in endpoint.query_params:
        if p.wire_name == "stream":
            continue
        kwargs[p.name] = sampler.value(p.type)
        key = f"{p.wire_name}[]" if isinstance(kwargs[p.name], list) else p.wire_name
        query[key] = _query_values(kwargs[p.name])
    body: dict[str, Any] | None = None
    if endpoint.body is not None:
        params = sampler.defs[endpoint.body]
        assert isinstance(params, ir.ObjectDef), params
        body = {}
        for f in params.fields:
            if f.wire_name == "stream":
                continue
            kwargs[f.name] = body[f.wire_name] = sampler.value(f.type)
    return Call(endpoint, tuple(values[p.name] for p in endpoint.path_params), kwargs, path, query, body)


def sample_response(api: ir.Api, endpoint: ir.Endpoint) -> Any:
    """A response of ``endpoint``: its first documented example, else a sample of its return type."""
    if endpoint.examples:
        return json.loads(endpoint.examples[0].response)
    assert endpoint.returns is not None, endpoint
    item = Sampler(api).value(endpoint.returns)
    return {"object": "list", "data": [item], "has_more": False} if endpoint.paginated else item


def method_of(client: Any, endpoint: ir.Endpoint) -> Any:
    """The bound method of ``client`` (ours or the SDK's) that calls ``endpoint``."""
    target = client
    for part in endpoint.resource:
        target = getattr(target, part)
    return getattr(target, endpoint.method_name)


def endpoint_id(endpoint: ir.Endpoint) -> str:
    return ".".join((*endpoint.resource, endpoint.method_name))
