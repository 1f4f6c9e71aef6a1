"""`docgen export`: the type graph as JSON, a valid JSON Schema 2020-12 that every doc example satisfies, OpenAPI 3.1."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import openapi_spec_validator
import pytest

from generator import ir
from generator.config import Config, PageSpec, load_config
from generator.diagnostics import Span, format_diagnostic
from generator.export import JSON_SCHEMA_DIALECT, def_name, dumps, export, ir_to_jsonschema, ir_to_openapi, schema_for
from tests.conftest import ROOT, SPECS
from tests.snapshot import current_api
from tests.test_examples import json_examples

Schema = dict[str, object]


@pytest.fixture(scope="module")
def config() -> Config:
    loaded, diagnostics = load_config(SPECS / "specs.toml", ROOT)
    assert loaded is not None, [format_diagnostic(d) for d in diagnostics]
    return loaded


@pytest.fixture(scope="module")
def api() -> ir.Api:
    return current_api()  # built from the same manifest, with no errors


@pytest.fixture(scope="module")
def document(api: ir.Api) -> Schema:
    return ir_to_jsonschema(api)


def walk(value: object) -> Iterator[dict[str, object]]:
    if isinstance(value, dict):
        yield value
        for v in value.values():
            yield from walk(v)
    elif isinstance(value, list):
        for v in value:
            yield from walk(v)


def closed(document: Schema) -> Schema:
    """The document with every object closed: examples may not carry keys the docs do not describe."""
    out = copy.deepcopy(document)
    for node in walk(out):
        if node.get("additionalProperties") is True:
            node["additionalProperties"] = False
    return out


def http_pages(config: Config) -> list[PageSpec]:
    """The pages written in the HTTP flavour: their examples are the wire JSON of the return type."""
    return [p for p in config.pages if p.read and p.flavour == "http"]


def examples_with_types(api: ir.Api, config: Config) -> list[tuple[str, ir.TypeNode, object]]:
    """Each JSON example of an HTTP-flavour page, with the return type of its endpoint."""
    files = {p.display for p in http_pages(config)}
    return [
        (str(ex.span), e.returns, json.loads(ex.response))
        for e in api.endpoints
        if e.returns is not None
        for ex in e.examples
        if ex.span.file in files
    ]


def test_json_schema_is_a_valid_2020_12_schema(document: Schema) -> None:
    assert document["$schema"] == JSON_SCHEMA_DIALECT
    assert jsonschema.validators.validator_for(document) is jsonschema.Draft202012Validator
    jsonschema.Draft202012Validator.check_schema(document)


def test_one_def_per_definition_named_by_module_and_name(api: ir.Api, document: Schema) -> None:
    defs = document["$defs"]
    assert isinstance(defs, dict)
    expected = {def_name(ir.Ref(m.path, d.name)): d.name for m in api.modules for d in m.definitions}
    assert set(defs) == set(expected)
    assert all(defs[key]["title"] == name for key, name in expected.items())
    assert def_name(ir.Ref(("types", "responses", "response_usage"), "InputTokensDetails")) in defs


def test_every_ref_resolves(document: Schema) -> None:
    defs = document["$defs"]
    assert isinstance(defs, dict)
    refs = [node["$ref"] for node in walk(document) if "$ref" in node]
    assert refs
    for ref in refs:
        assert isinstance(ref, str) and ref.startswith("#/$defs/") and ref[len("#/$defs/") :] in defs, ref


def test_schema_shapes(document: Schema) -> None:
    defs = document["$defs"]
    assert isinstance(defs, dict)
    usage = defs["types.responses.response_usage.ResponseUsage"]
    assert usage["type"] == "object" and usage["additionalProperties"] is True
    assert usage["required"] == [
        "input_tokens",
        "input_tokens_details",
        "output_tokens",
        "output_tokens_details",
        "total_tokens",
    ]
    assert usage["properties"]["input_tokens_details"]["$ref"] == (
        "#/$defs/types.responses.response_usage.InputTokensDetails"
    )
    assert usage["properties"]["total_tokens"] == {"type": "number", "description": "The total number of tokens used."}
    params = defs["types.responses.response_compact_params.ResponseCompactParams"]
    assert params["additionalProperties"] is False and params["required"] == ["model"]
    tagged = [d for d in defs.values() if "discriminator" in d]
    assert tagged and all("oneOf" in d and "anyOf" not in d for d in tagged)
    for d in tagged:
        mapping = d["discriminator"]["mapping"]
        assert set(mapping.values()) <= {m.get("$ref") for m in d["oneOf"]}
    assert any(node.get("const") is not None for node in walk(document))
    assert any("enum" in node for node in walk(document))


def test_every_kind_of_type_node() -> None:
    at = Span("x.md", 1)
    str_, int_ = ir.PrimitiveType(ir.Primitive.STR), ir.PrimitiveType(ir.Primitive.INT)
    other = ir.Ref(("types", "things", "other"), "Other")
    cases: list[tuple[ir.TypeNode, bool, Schema]] = [
        (str_, False, {"type": "string"}),
        (str_, True, {"type": ["string", "null"]}),
        (ir.PrimitiveType(ir.Primitive.FLOAT), False, {"type": "number"}),
        (ir.PrimitiveType(ir.Primitive.BOOL), False, {"type": "boolean"}),
        (ir.PrimitiveType(ir.Primitive.ANY), True, {}),
        (ir.LiteralType(("a",)), False, {"type": "string", "const": "a"}),
        (ir.LiteralType(("a", "b")), True, {"type": ["string", "null"], "enum": ["a", "b", None]}),
        (ir.LiteralType((1, True)), False, {"type": ["boolean", "integer"], "enum": [1, True]}),
        (ir.ArrayType(int_), False, {"type": "array", "items": {"type": "integer"}}),
        (ir.MapType(str_), False, {"type": "object", "additionalProperties": {"type": "string"}}),
        (ir.UnionType((str_, int_)), False, {"anyOf": [{"type": "string"}, {"type": "integer"}]}),
        (other, False, {"$ref": "#/$defs/types.things.other.Other"}),
        (other, True, {"anyOf": [{"$ref": "#/$defs/types.things.other.Other"}, {"type": "null"}]}),
    ]
    fields = tuple(
        ir.Field(f"f{i}", f"f{i}", t, i % 2 == 0, nullable, "", at) for i, (t, nullable, _) in enumerate(cases)
    )
    thing = ir.ObjectDef("Thing", fields, "A thing.", at)
    others = (ir.ObjectDef("Other", (), "", at),)
    modules = (
        ir.Module(other.module, "Other", ir.Side.RESPONSE, others, "x.md"),
        ir.Module(("types", "things", "thing_param"), "Thing", ir.Side.REQUEST, (thing,), "x.md"),
    )
    document = ir_to_jsonschema(ir.Api("pkg", modules, (), ("x.md",)))
    jsonschema.Draft202012Validator.check_schema(document)
    got = document["$defs"]["types.things.thing_param.Thing"]
    assert got["properties"] == {f"f{i}": want for i, (_, _, want) in enumerate(cases)}
    assert got["required"] == [f"f{i}" for i in range(0, len(cases), 2)]
    assert got["additionalProperties"] is False and got["description"] == "A thing." and got["title"] == "Thing"
    validator = jsonschema.Draft202012Validator(
        schema_for(document, ir.Ref(("types", "things", "thing_param"), "Thing"))
    )
    good = {"f0": "x", "f2": 1.5, "f4": None, "f6": None, "f8": [1], "f10": "s", "f12": {}}
    assert not list(validator.iter_errors(good))
    assert not list(validator.iter_errors({**good, "f7": True}))
    assert list(validator.iter_errors({**good, "f7": False}))
    assert list(validator.iter_errors({**good, "extra": 1}))


def test_doc_examples_are_the_ones_the_pages_hold(api: ir.Api, config: Config) -> None:
    """The examples validated below are every JSON block of every HTTP page read (as test_examples finds them)."""
    on_pages = [example for page in http_pages(config) for example in json_examples(page.path)]
    assert [value for _, _, value in examples_with_types(api, config)] == on_pages
    assert len(on_pages) >= 2


@pytest.mark.parametrize("strict", [False, True], ids=["open", "closed"])
def test_every_doc_example_validates_against_its_return_type(
    api: ir.Api, config: Config, document: Schema, strict: bool
) -> None:
    doc = closed(document) if strict else document
    cases = examples_with_types(api, config)
    assert cases
    for where, returns, value in cases:
        assert isinstance(returns, ir.Ref)
        validator = jsonschema.Draft202012Validator(schema_for(doc, returns))
        errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}" for e in validator.iter_errors(value)]
        assert not errors, f"{where}: " + "\n".join(errors)


@pytest.mark.parametrize(
    ("mutate", "path"),
    [
        (lambda d: d["usage"].pop("total_tokens"), ["usage"]),
        (lambda d: d["usage"].__setitem__("total_tokens", "many"), ["usage", "total_tokens"]),
        (lambda d: d["output"][0].__setitem__("role", "nobody"), ["output", 0]),
        (lambda d: d.__setitem__("output", {}), ["output"]),
    ],
)
def test_the_schema_rejects_what_the_decoder_rejects(
    api: ir.Api, config: Config, document: Schema, mutate: object, path: list[object]
) -> None:
    compactions = [c for c in examples_with_types(api, config) if isinstance(c[2], dict) and "usage" in c[2]]
    _, returns, value = compactions[-1]
    assert isinstance(returns, ir.Ref)
    value = copy.deepcopy(value)
    mutate(value)  # type: ignore[operator]
    errors = list(jsonschema.Draft202012Validator(schema_for(document, returns)).iter_errors(value))
    assert errors and any(list(e.absolute_path)[: len(path)] == path for e in errors)


def test_openapi_document(api: ir.Api) -> None:
    spec = ir_to_openapi(api)
    assert spec["openapi"] == "3.1.0"
    operation = spec["paths"]["/responses/compact"]["post"]
    assert operation["operationId"] == "responses_compact"
    assert operation["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/types.responses.response_compact_params.ResponseCompactParams"
    }
    assert operation["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/types.responses.compacted_response.CompactedResponse"
    }
    schemas = spec["components"]["schemas"]
    assert set(schemas) == set(ir_to_jsonschema(api)["$defs"])
    assert all(ref.startswith("#/components/schemas/") for ref in (n["$ref"] for n in walk(spec) if "$ref" in n))
    openapi_spec_validator.validate(spec, cls=openapi_spec_validator.OpenAPIV31SpecValidator)


def test_path_and_query_parameters_are_exported() -> None:
    at = Span("x.md", 1)
    item = ir.Ref(("types", "things", "thing"), "Thing")
    endpoint = ir.Endpoint(
        ("things",),
        "retrieve",
        "GET",
        "/things/{thing_id}",
        "Retrieve a thing",
        "",
        (ir.Param("thing_id", "thing_id", ir.PrimitiveType(ir.Primitive.STR), True, "The thing.", at),),
        (ir.Param("limit", "limit", ir.PrimitiveType(ir.Primitive.INT), False, "", at),),
        None,
        item,
        (),
        at,
    )
    thing = ir.ObjectDef(
        "Thing", (ir.Field("id", "id", ir.PrimitiveType(ir.Primitive.STR), True, True, "", at),), "", at
    )
    api = ir.Api("pkg", (ir.Module(item.module, "Thing", ir.Side.RESPONSE, (thing,), "x.md"),), (endpoint,), ("x.md",))
    spec = ir_to_openapi(api)
    operation = spec["paths"]["/things/{thing_id}"]["get"]
    assert operation["parameters"] == [
        {"name": "thing_id", "in": "path", "required": True, "schema": {"type": "string"}, "description": "The thing."},
        {"name": "limit", "in": "query", "required": False, "schema": {"type": "integer"}},
    ]
    assert "requestBody" not in operation
    assert spec["components"]["schemas"]["types.things.thing.Thing"]["properties"]["id"] == {"type": ["string", "null"]}
    openapi_spec_validator.validate(spec, cls=openapi_spec_validator.OpenAPIV31SpecValidator)


@pytest.mark.parametrize("fmt", ["json", "jsonschema", "openapi"])
def test_cli_export_is_stable(api: ir.Api, fmt: str, tmp_path: Path) -> None:
    out = tmp_path / f"api.{fmt}.json"
    env = {**os.environ, "PYTHONHASHSEED": "1"}
    args = [sys.executable, "-m", "generator", "export", "--format", fmt, "--output", str(out)]
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert text == export(api, fmt)
    assert text == dumps(json.loads(text))


def test_cli_export_to_stdout_defaults_to_the_ir() -> None:
    args = [sys.executable, "-m", "generator", "export"]
    result = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["kind"] == "Api"


def test_cli_export_reports_bad_specs(tmp_path: Path) -> None:
    (tmp_path / "specs.toml").write_text('[[page]]\npath = "missing.md"\nflavour = "http"\n')
    args = [sys.executable, "-m", "generator", "export", "--specs", str(tmp_path / "specs.toml")]
    result = subprocess.run(args, cwd=tmp_path, capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert "error[E005]" in result.stderr and "nothing was exported" in result.stderr
