"""Export the type graph: stable sorted JSON of the IR, a JSON Schema 2020-12 document, an OpenAPI 3.1 document.

Every exported document is plain data dumped with sorted keys, so the same type graph always
gives the same bytes (``docgen export``, IR snapshots, the benchmark's input for other generators).

Schema names: each definition is one ``$defs`` entry (``components.schemas`` in OpenAPI) named
``<module path>.<Name>`` — ``types.responses.response_usage.InputTokensDetails`` — which is unique
(names repeat across modules) and does not change when other types are added; its ``title`` is
the bare name.
"""

from __future__ import annotations

import dataclasses
import enum
import json
from collections.abc import Callable

from generator import ir
from generator.diagnostics import Span

__all__ = [
    "FORMATS",
    "JSON_SCHEMA_DIALECT",
    "OPENAPI_VERSION",
    "def_name",
    "dumps",
    "export",
    "ir_to_data",
    "ir_to_json",
    "ir_to_jsonschema",
    "ir_to_openapi",
    "schema_for",
]

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
OPENAPI_VERSION = "3.1.0"
FORMATS = ("json", "jsonschema", "openapi")

Schema = dict[str, object]
RefTarget = Callable[[ir.Ref], str]


def ir_to_data(value: object) -> object:
    """Plain JSON data for any IR value; every node carries its ``kind``."""
    if isinstance(value, Span):
        return str(value)
    if isinstance(value, enum.Enum):
        return value.value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out: dict[str, object] = {"kind": type(value).__name__}
        for f in dataclasses.fields(value):
            out[f.name] = ir_to_data(getattr(value, f.name))
        return out
    if isinstance(value, tuple | list):
        return [ir_to_data(v) for v in value]
    return value


def dumps(data: object) -> str:
    """The one JSON spelling of every export: sorted keys, one-space indent, UTF-8, final newline."""
    return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def ir_to_json(api: ir.Api) -> str:
    return dumps(ir_to_data(api))


# -- JSON Schema ----------------------------------------------------------------------------------


def def_name(ref: ir.Ref) -> str:
    """The ``$defs`` / ``components.schemas`` key of a definition: module path and name, dotted."""
    return ".".join((*ref.module, ref.name))


_PRIMITIVES: dict[ir.Primitive, Schema] = {
    ir.Primitive.STR: {"type": "string"},
    ir.Primitive.INT: {"type": "integer"},
    ir.Primitive.FLOAT: {"type": "number"},
    ir.Primitive.BOOL: {"type": "boolean"},
    ir.Primitive.ANY: {},
}


def _literal_type(value: str | int | bool) -> str:
    if isinstance(value, bool):
        return "boolean"
    return "integer" if isinstance(value, int) else "string"


class _SchemaBuilder:
    def __init__(self, api: ir.Api, target: RefTarget) -> None:
        self.target = target
        self.defs: dict[ir.Ref, ir.Definition] = {}
        self.sides: dict[ir.Ref, ir.Side] = {}
        for module in api.modules:
            for d in module.definitions:
                ref = ir.Ref(module.path, d.name)
                self.defs[ref] = d
                self.sides[ref] = module.side

    def node(self, t: ir.TypeNode) -> Schema:
        match t:
            case ir.PrimitiveType(kind):
                return dict(_PRIMITIVES[kind])
            case ir.LiteralType(values):
                types = sorted({_literal_type(v) for v in values})
                spelled: object = types[0] if len(types) == 1 else types
                if len(values) == 1:
                    return {"type": spelled, "const": values[0]}
                return {"type": spelled, "enum": list(values)}
            case ir.ArrayType(item):
                return {"type": "array", "items": self.node(item)}
            case ir.MapType(value):
                return {"type": "object", "additionalProperties": self.node(value)}
            case ir.UnionType(members):
                return {"anyOf": [self.node(m) for m in members]}
            case ir.Ref():
                return {"$ref": self.target(t)}

    def field(self, f: ir.Field) -> Schema:
        schema = _nullable(self.node(f.type)) if f.nullable else self.node(f.type)
        if f.description.strip():
            # In 2020-12 `$ref` may have sibling keywords: the description annotates the use site.
            schema = {**schema, "description": f.description.strip()}
        return schema

    def definition(self, ref: ir.Ref) -> Schema:
        d = self.defs[ref]
        out: Schema
        match d:
            case ir.ObjectDef():
                out = {
                    "type": "object",
                    "properties": {f.wire_name: self.field(f) for f in d.fields},
                    # Requests are TypedDicts (closed); decoded responses keep unknown keys.
                    "additionalProperties": self.sides[ref] is ir.Side.RESPONSE,
                }
                required = [f.wire_name for f in d.fields if f.required]
                if required:
                    out["required"] = required
            case ir.UnionDef(discriminator=None):
                out = {"anyOf": [self.node(m) for m in d.members]}
            case ir.UnionDef(discriminator=disc) if disc is not None:
                out = {
                    "oneOf": [self.node(m) for m in d.members],
                    "discriminator": {
                        "propertyName": disc.wire_name,
                        "mapping": {_tag(tag): self.target(member) for tag, member in disc.tags},
                    },
                }
            case ir.AliasDef():
                out = self.node(d.type)
        out["title"] = d.name
        if d.description.strip():
            out["description"] = d.description.strip()
        return out

    def all_definitions(self) -> dict[str, Schema]:
        return {def_name(ref): self.definition(ref) for ref in sorted(self.defs)}


def _tag(value: str | int | bool) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def _nullable(schema: Schema) -> Schema:
    kind = schema.get("type")
    if isinstance(kind, str) and set(schema) == {"type"}:
        return {"type": [kind, "null"]}
    values = schema.get("enum")
    if isinstance(kind, str) and isinstance(values, list):
        return {**schema, "type": [kind, "null"], "enum": [*values, None]}
    if not schema:
        return schema  # any JSON value already includes null
    return {"anyOf": [schema, {"type": "null"}]}


def _jsonschema_target(ref: ir.Ref) -> str:
    return "#/$defs/" + def_name(ref)


def ir_to_jsonschema(api: ir.Api) -> Schema:
    """A JSON Schema 2020-12 document with one ``$defs`` entry per definition of the type graph.

    Objects list ``properties`` and ``required``; request objects are closed
    (``additionalProperties: false``), response objects open (the generated models keep unknown
    keys). Literals are ``const``/``enum``, unions ``anyOf``, or ``oneOf`` with an OpenAPI-style
    ``discriminator`` annotation where the graph found one; nullable fields admit ``null``.
    """
    builder = _SchemaBuilder(api, _jsonschema_target)
    return {
        "$schema": JSON_SCHEMA_DIALECT,
        "$id": f"urn:docgen-py:{api.package}",
        "title": api.package,
        "description": "Types of " + ", ".join(api.sources) if api.sources else api.package,
        "$defs": builder.all_definitions(),
    }


def schema_for(document: Schema, ref: ir.Ref) -> Schema:
    """A schema that validates one definition of a ``ir_to_jsonschema`` document."""
    return {
        "$schema": document["$schema"],
        "$defs": document["$defs"],
        "$ref": _jsonschema_target(ref),
    }


# -- OpenAPI --------------------------------------------------------------------------------------


def _openapi_target(ref: ir.Ref) -> str:
    return "#/components/schemas/" + def_name(ref)


def _operation(e: ir.Endpoint, builder: _SchemaBuilder) -> Schema:
    parameters: list[Schema] = []
    for where, params in (("path", e.path_params), ("query", e.query_params)):
        for p in params:
            param: Schema = {
                "name": p.wire_name,
                "in": where,
                "required": True if where == "path" else p.required,
                "schema": builder.node(p.type),
            }
            if p.description.strip():
                param["description"] = p.description.strip()
            parameters.append(param)
    op: Schema = {
        "operationId": "_".join((*e.resource, e.method_name)),
        "summary": e.title,
        "tags": [".".join(e.resource)],
    }
    if e.description.strip():
        op["description"] = e.description.strip()
    if parameters:
        op["parameters"] = parameters
    if e.body is not None:
        body = builder.defs.get(e.body)
        required = isinstance(body, ir.ObjectDef) and any(f.required for f in body.fields)
        op["requestBody"] = {
            "required": required,
            "content": {"application/json": {"schema": builder.node(e.body)}},
        }
    response: Schema = {"description": _response_description(e)}
    if e.returns is not None:
        media: Schema = {"schema": builder.node(e.returns)}
        examples = _examples(e)
        if examples:
            media["examples"] = examples
        response["content"] = {"application/json": media}
    op["responses"] = {"200": response}
    return op


def _response_description(e: ir.Endpoint) -> str:
    if isinstance(e.returns, ir.Ref):
        return f"The {e.returns.name} object."
    return "Successful response."


def _examples(e: ir.Endpoint) -> Schema:
    out: Schema = {}
    for i, ex in enumerate(e.examples, 1):
        try:
            value = json.loads(ex.response)
        except ValueError:
            continue
        out[f"example_{i}"] = {"summary": f"Example {i} ({ex.span.file}:{ex.span.line})", "value": value}
    return out


def ir_to_openapi(
    api: ir.Api,
    *,
    title: str = "OpenAI API",
    version: str = "0.1.0",
    server: str = "https://api.openai.com/v1",
) -> Schema:
    """An OpenAPI 3.1 document: the same schemas under ``components.schemas``, one path item per endpoint."""
    builder = _SchemaBuilder(api, _openapi_target)
    paths: dict[str, dict[str, Schema]] = {}
    for e in api.endpoints:
        paths.setdefault(e.path, {})[e.http_method.lower()] = _operation(e, builder)
    return {
        "openapi": OPENAPI_VERSION,
        "jsonSchemaDialect": JSON_SCHEMA_DIALECT,
        "info": {
            "title": title,
            "version": version,
            "description": "Generated by docgen-py from " + ", ".join(api.sources) + ".",
        },
        "servers": [{"url": server}],
        "paths": paths,
        "components": {"schemas": builder.all_definitions()},
    }


def export(api: ir.Api, fmt: str) -> str:
    """The type graph in one of ``FORMATS``, as stable JSON text."""
    if fmt == "json":
        return ir_to_json(api)
    if fmt == "jsonschema":
        return dumps(ir_to_jsonschema(api))
    if fmt == "openapi":
        return dumps(ir_to_openapi(api))
    raise ValueError(f"unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")
