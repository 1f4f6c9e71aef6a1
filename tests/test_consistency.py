"""The pages agree on the types they share, up to what each flavour can say; the merged graph says the most."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import cast

import pytest

from generator import graph, ir
from generator.diagnostics import Span
from generator.pipeline import _dialects
from tests.consistency import Comparison, Disagreement, Graph, compare, graphs, lines
from tests.snapshot import current_api

ROOT = Path(__file__).resolve().parent.parent

# Differences that come from what a flavour can express rather than from the pages disagreeing:
# the HTTP flavour has one `number` and no `null`; the Ruby flavour marks no optional field (its
# optionality is read from the field order); the merged graph takes the reading that admits both.
FLAVOUR_LIMITS = {"scalar", "nullable", "required"}
# Types whose pages disagree in shape (fields, members, kinds) once each page is read alone: none
# of the 54 the pages share. A rise means the nesting search reads a collapsed page differently.
MAX_SHAPE_DISAGREEMENTS = 0


@pytest.fixture(scope="module")
def pages() -> list[Graph]:
    return graphs()


@pytest.fixture(scope="module")
def comparison(pages: list[Graph]) -> Comparison:
    return compare(pages)


@pytest.fixture(scope="module")
def merged() -> dict[str, ir.Definition]:
    api = current_api()
    defs: dict[str, list[ir.Definition]] = {}
    for module in api.modules:
        for d in module.definitions:
            defs.setdefault(d.name, []).append(d)
    return {name: ds[0] for name, ds in defs.items() if len(ds) == 1}


def test_the_pages_share_types(comparison: Comparison) -> None:
    print("\n".join(list(lines(comparison))[:2]))
    assert len(comparison.shared) >= 40
    assert comparison.identical >= comparison.pairs // 2


def test_pages_agree_in_shape_on_every_shared_type(comparison: Comparison) -> None:
    shape = sorted({d.type for d in comparison.disagreements if d.kind not in FLAVOUR_LIMITS})
    assert len(shape) <= MAX_SHAPE_DISAGREEMENTS, "\n".join(
        f"{d.type} {d.path}: {d.kind}: {d.detail}" for d in comparison.disagreements if d.type in shape
    )


def _field(d: ir.Definition | None, name: str) -> ir.Field | None:
    if isinstance(d, ir.ObjectDef):
        return next((f for f in d.fields if f.wire_name == name), None)
    return None


def _leaf(disagreement: Disagreement) -> tuple[str, str] | None:
    """The merged type and field a disagreement is about, when the path is a plain field of the type."""
    if "|" in disagreement.path or "[]" in disagreement.path or "." in disagreement.path:
        return None
    return disagreement.type, disagreement.path


def test_the_merged_graph_takes_what_either_page_says(
    pages: list[Graph], comparison: Comparison, merged: dict[str, ir.Definition]
) -> None:
    dialects = _dialects()
    flavours = {g.source: g.flavour for g in pages}
    stated_optional = {
        (d.type, d.path)
        for d in comparison.disagreements
        if d.kind == "required" and d.detail == "True vs False" and not dialects[flavours[d.other]].order_gives_optional
    }
    checked = 0
    for d in comparison.disagreements:
        where = _leaf(d)
        if where is None or d.kind not in FLAVOUR_LIMITS:
            continue
        field = _field(merged.get(where[0]), where[1])
        if field is None:
            continue
        if d.kind == "nullable":
            assert field.nullable, d
        elif d.kind == "scalar" and d.detail == "float vs int":
            assert field.type == ir.PrimitiveType(ir.Primitive.INT), d
        elif d.kind == "required" and d.detail == "True vs False":
            # Optional wins where another page says so; a Ruby page only implies it by field order.
            assert field.required is ((d.type, d.path) not in stated_optional), d
        checked += 1
    assert checked >= 10


def _object(*fields: tuple[str, ir.TypeNode, bool, bool], file: str = "a.md") -> ir.ObjectDef:
    span = Span(file, 1, 1)
    return ir.ObjectDef("Thing", tuple(ir.Field(n, n, t, req, null, "", span) for n, t, req, null in fields), "", span)


NUMBER, INT = ir.PrimitiveType(ir.Primitive.FLOAT), ir.PrimitiveType(ir.Primitive.INT)


@pytest.mark.parametrize(
    ("theirs", "stated", "expected", "changes"),
    [
        (("n", INT, True, False), True, ("n", INT, True, False), ["n: type int"]),
        (("n", NUMBER, False, True), True, ("n", NUMBER, False, True), ["n: optional, nullable"]),
        (("n", NUMBER, False, False), False, ("n", NUMBER, True, False), []),  # optionality only implied
        (("n", ir.ArrayType(INT), True, False), True, None, None),  # a real conflict
        (("m", NUMBER, True, False), True, None, None),
    ],
)
def test_refine_reads_the_two_definitions_together(
    theirs: tuple[str, ir.TypeNode, bool, bool],
    stated: bool,
    expected: tuple[str, ir.TypeNode, bool, bool] | None,
    changes: list[str] | None,
) -> None:
    kept = _object(("n", NUMBER, True, False))
    result = graph.refine(kept, _object(theirs, file="b.md"), optional_stated=stated)
    if expected is None:
        assert result is None
        return
    assert result is not None
    refined, said = result
    assert graph.strip(refined) == graph.strip(_object(expected))
    assert refined.span == kept.span
    assert said == changes


# A scraped page (Python spelling) that gives `Thing` a field, its `Part` union a variant and its `kind`
# a literal value that the markdown page's definitions lack; each addition sits between entries that
# certainly belong to the same type. `extra` follows the last entry of `PartWheel`, and the next entry
# certainly placed is Thing's: nothing tells whose it is.
SCRAPED = """\
List holders
Lists the holders.
ModelsExpand Collapse
class Holder: …A holder of things.
A holder of things.
thing: ThingThe thing held.
The thing held.
kind: Literal["a", "b", "c"]The kind of the thing.
The kind of the thing.
shade: Optional[Shade]The shade of the thing.
The shade of the thing.
The name of the thing.
part: PartOne part of the thing.
One part of the thing.
class PartWing: …A wing.
A wing.
The span of the wing.
class PartWheel: …A wheel.
A wheel.
The size of the wheel.
extra: Optional[Extra]Something else.
Something else.
The label of the thing.
"""


def _markdown_api() -> ir.Api:
    module = ("types", "thing")

    def span(line: int) -> Span:
        return Span("things.md", line, 3)

    def field(name: str, t: ir.TypeNode, description: str, line: int) -> ir.Field:
        return ir.Field(name, name, t, True, False, description, span(line))

    text = ir.PrimitiveType(ir.Primitive.STR)
    kind = ir.LiteralType(("a", "b"))
    thing = ir.ObjectDef(
        "Thing",
        (
            field("kind", kind, "The kind of the thing.", 2),
            field("name", text, "The name of the thing.", 3),
            field("part", ir.Ref(module, "Part"), "One part of the thing.", 4),
            field("label", text, "The label of the thing.", 8),
        ),
        "A thing.",
        span(1),
    )
    part = ir.UnionDef("Part", (ir.Ref(module, "PartWheel"),), None, "One part of the thing.", span(5))
    wheel = ir.ObjectDef("PartWheel", (field("size", INT, "The size of the wheel.", 7),), "A wheel.", span(6))
    modules = (ir.Module(module, "Thing", ir.Side.RESPONSE, (thing, part, wheel), "things.md"),)
    return cast(ir.Api, SimpleNamespace(modules=modules))


def test_what_a_scraped_page_adds_to_a_markdown_type_is_reported_with_both_places() -> None:
    from generator.read.scraped import read_scraped

    _, found = read_scraped("holders.python.txt", SCRAPED, "python-text", _markdown_api())
    assert sorted((str(d.span), d.code, d.message) for d in found) == [
        (
            "holders.python.txt:10:1",
            "W303",
            "the page gives Thing a field `shade`, which its definition at things.md:1:3 lacks",
        ),
        (
            "holders.python.txt:15:1",
            "W303",
            "the page gives Part a variant `PartWing`, which its definition at things.md:5:3 lacks",
        ),
        (
            "holders.python.txt:8:1",
            "W303",
            'the page gives Thing `kind` the literal values "c", which its definition at things.md:1:3 lacks',
        ),
    ]
