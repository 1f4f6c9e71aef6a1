"""Decoders against payloads drawn from the type graph: valid ones round-trip, broken ones fail at their path.

For every response-side type of the generated package (each object and union), hypothesis
draws JSON payloads the docs allow, by walking the IR: objects with their required fields and any of
their optional ones (absent, ``null`` or set) plus the odd unknown key, discriminated unions by member,
literals, arrays, maps, nullable fields, any JSON where the docs say ``unknown``. Each must decode and
encode back to the same JSON. Then one place of a valid payload is broken (a value of the wrong type,
a required field left out, a ``null`` where none is allowed) and decoding must raise ``DecodeError``
whose path is exactly that place: never ``KeyError``, ``TypeError`` or anything else.

Last, an unknown key or an unknown union tag is put in one place: the default (lenient) decoding keeps
it (``unknown_fields``, ``UnknownVariant``) and encodes it back, ``decode(..., strict=True)`` refuses it
with the path.

Places under an undiscriminated union are not broken: there the error is the union's ("matches no
member"), and which member a broken value still fits is the union's business. ``FUZZ_EXAMPLES`` lifts
the example counts (``make fuzz``).
"""

from __future__ import annotations

import copy
import importlib
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator import ir
from tests.conftest import FUZZ_CASES, GENERATED, ROOT
from tests.snapshot import current_api
from tests.test_fuzz import _settings

sys.path.insert(0, str(GENERATED))

from openai_api import DecodeError, UnknownVariant, decode, encode

Path_ = tuple[str | int, ...]


def _response_types(untagged: bool = False) -> list[tuple[tuple[str, ...], str]]:
    """(module path, name) of every response-side object and union (``untagged``: every union without
    a discriminator), from the IR snapshot (cheap to read at collection; the strategies use the type
    graph itself)."""
    data = json.loads((ROOT / "tests" / "snapshots" / "ir.json").read_text())
    return [
        (tuple(m["path"]), d["name"])
        for m in data["modules"]
        if m["side"] == "response"
        for d in m["definitions"]
        if (
            d["kind"] == "UnionDef" and d["discriminator"] is None
            if untagged
            else d["kind"] in ("ObjectDef", "UnionDef")
        )
    ]


TYPES = _response_types()
UNTAGGED = _response_types(untagged=True)


def _defs() -> dict[ir.Ref, ir.Definition]:
    return {ir.Ref(m.path, d.name): d for m in current_api().modules for d in m.definitions}


def decoder_of(ref: ir.Ref) -> Callable[[object], Any]:
    module = importlib.import_module("openai_api." + ".".join(ref.module))
    found = getattr(module, ref.name)
    return found.from_dict if hasattr(found, "from_dict") else getattr(module, f"decode_{ref.name}")  # type: ignore[no-any-return]


# -- valid payloads -------------------------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(max_size=6),
    lambda inner: st.lists(inner, max_size=2) | st.dictionaries(st.text(max_size=4), inner, max_size=2),
    max_leaves=6,
)
_PRIMITIVES: dict[ir.Primitive, st.SearchStrategy[Any]] = {
    ir.Primitive.STR: st.text(max_size=8),
    ir.Primitive.INT: st.integers(-(2**53), 2**53),
    ir.Primitive.FLOAT: st.integers(-(2**53), 2**53) | st.floats(allow_nan=False, allow_infinity=False),
    ir.Primitive.BOOL: st.booleans(),
    ir.Primitive.ANY: json_values,
}


class Payloads:
    """Hypothesis strategies of the JSON each type of the graph accepts."""

    def __init__(self, defs: dict[ir.Ref, ir.Definition], unknown_keys: bool = True) -> None:
        self.defs = defs
        self.unknown_keys = unknown_keys
        self.by_ref: dict[ir.Ref, st.SearchStrategy[Any]] = {}

    def of(self, t: ir.TypeNode) -> st.SearchStrategy[Any]:
        match t:
            case ir.PrimitiveType(kind):
                return _PRIMITIVES[kind]
            case ir.LiteralType(values):
                return st.sampled_from(values)
            case ir.ArrayType(item):
                return st.lists(self.of(item), max_size=2)
            case ir.MapType(value):
                return st.dictionaries(st.text(max_size=4), self.of(value), max_size=2)
            case ir.UnionType(members):
                return st.one_of([self.of(m) for m in members])
            case ir.Ref():
                if t not in self.by_ref:
                    # Deferred: recursive types refer to themselves.
                    self.by_ref[t] = st.deferred(lambda: self.definition(self.defs[t]))
                return self.by_ref[t]
        raise AssertionError(t)

    def definition(self, d: ir.Definition) -> st.SearchStrategy[Any]:
        match d:
            case ir.ObjectDef():
                return self.object(d)
            case ir.AliasDef():
                return self.of(d.type)
            case ir.UnionDef(members=members, discriminator=None):
                return st.one_of([self.of(m) for m in members])
            case ir.UnionDef(members=members, discriminator=disc):
                assert disc is not None
                tags = {tag for tag, _ in disc.tags}
                tagged = {ref for _, ref in disc.tags}
                # A member without a tag must not look like a tagged one, or it is read as that one.
                return st.one_of(
                    [
                        (
                            self.of(m)
                            if m in tagged
                            else self.of(m).filter(
                                lambda v: not (isinstance(v, dict) and v.get(disc.wire_name) in tags)
                            )
                        )
                        for m in members
                    ]
                )
        raise AssertionError(d)

    def object(self, d: ir.ObjectDef) -> st.SearchStrategy[dict[str, Any]]:
        required = {}
        optional = {}
        for f in d.fields:
            value = self.of(f.type)
            if f.nullable or not f.required:
                value = st.none() | value
            (required if f.required else optional)[f.wire_name] = value
        known = {f.wire_name for f in d.fields}
        keys = st.text(min_size=1, max_size=6).filter(lambda k: k not in known)
        extra = st.dictionaries(keys, json_values, max_size=1 if self.unknown_keys else 0)
        return st.tuples(st.fixed_dictionaries(required, optional=optional), extra).map(lambda p: {**p[1], **p[0]})


@pytest.fixture(scope="module")
def payloads() -> Payloads:
    return Payloads(_defs())


@pytest.fixture(scope="module")
def known_payloads() -> Payloads:
    """Payloads with only the keys the docs list."""
    return Payloads(_defs(), unknown_keys=False)


def _id(t: tuple[tuple[str, ...], str]) -> str:
    return f"{t[0][-1]}.{t[1]}"


@pytest.mark.parametrize("where", TYPES, ids=_id)
@_settings(default=5, long_run_share=20)
@given(data=st.data())
def test_valid_payloads_round_trip(payloads: Payloads, where: tuple[tuple[str, ...], str], data: st.DataObject) -> None:
    FUZZ_CASES["decoder round trips"] += 1
    ref = ir.Ref(*where)
    payload = data.draw(payloads.of(ref))
    value = decoder_of(ref)(payload)
    assert not isinstance(value, UnknownVariant)
    assert encode(value) == payload


@pytest.mark.parametrize("where", UNTAGGED, ids=_id)
@_settings(default=5, long_run_share=20)
@given(data=st.data())
def test_an_untagged_union_picks_a_member_that_knows_every_key(
    known_payloads: Payloads, where: tuple[tuple[str, ...], str], data: st.DataObject
) -> None:
    """Without a discriminator, a member whose fields are all optional accepts any object: the decoder
    must not stop at the first member that accepts it, but take one that knows all of its keys."""
    FUZZ_CASES["untagged unions"] += 1
    ref = ir.Ref(*where)
    union = known_payloads.defs[ref]
    assert isinstance(union, ir.UnionDef)
    member = data.draw(st.sampled_from([m for m in union.members if isinstance(m, ir.Ref)]))
    payload = data.draw(known_payloads.of(member))
    value = decoder_of(ref)(payload)
    assert not getattr(value, "unknown_fields", None), (type(value).__name__, payload)
    assert encode(value) == payload


def test_every_response_type_is_covered() -> None:
    """The snapshot the parameters come from is the graph the strategies walk."""
    built = [
        (m.path, d.name)
        for m in current_api().modules
        if m.side is ir.Side.RESPONSE
        for d in m.definitions
        if isinstance(d, ir.ObjectDef | ir.UnionDef)
    ]
    assert sorted(TYPES) == sorted(built) and len(TYPES) > 100


# -- one place broken -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Break:
    path: Path_
    """Where the payload is broken, and where the error must say it is."""
    how: str
    """``wrong`` (a value of another type), ``missing`` (a required key left out), ``null``."""
    wrong: object = None


def _wrong_value(t: ir.TypeNode, defs: dict[ir.Ref, ir.Definition]) -> object | None:
    """A value no decoder of ``t`` accepts, or None when ``t`` accepts anything or is a union."""
    match t:
        case ir.PrimitiveType(kind):
            return {ir.Primitive.ANY: None, ir.Primitive.FLOAT: "x"}.get(kind, 0.5)
        case ir.LiteralType() | ir.ArrayType() | ir.MapType():
            return 0.5
        case ir.Ref():
            d = defs[t]
            if isinstance(d, ir.ObjectDef):
                return 0.5
            if isinstance(d, ir.AliasDef):
                return _wrong_value(d.type, defs)
            if isinstance(d, ir.UnionDef) and d.discriminator is not None and _all_tagged(d):
                return 0.5
    return None


def _all_tagged(d: ir.UnionDef) -> bool:
    assert d.discriminator is not None
    return {ref for _, ref in d.discriminator.tags} == set(d.members)


def _accepts_null(t: ir.TypeNode, defs: dict[ir.Ref, ir.Definition]) -> bool:
    match t:
        case ir.PrimitiveType(kind):
            return kind is ir.Primitive.ANY
        case ir.UnionType(members):
            return any(_accepts_null(m, defs) for m in members)
        case ir.Ref():
            d = defs[t]
            if isinstance(d, ir.AliasDef):
                return _accepts_null(d.type, defs)
            if isinstance(d, ir.UnionDef):
                return not (d.discriminator is not None and _all_tagged(d)) or any(
                    _accepts_null(m, defs) for m in d.members
                )
    return False


def breaks(t: ir.TypeNode, value: object, path: Path_, defs: dict[ir.Ref, ir.Definition]) -> list[Break]:
    """Every place of ``value`` (valid for ``t``) that can be broken with a known error path."""
    out: list[Break] = []
    wrong = _wrong_value(t, defs)
    if wrong is not None:
        out.append(Break(path, "wrong", wrong))
    match t:
        case ir.ArrayType(item) if isinstance(value, list):
            for i, x in enumerate(value):
                if not _accepts_null(item, defs):
                    out.append(Break((*path, i), "null"))
                out += breaks(item, x, (*path, i), defs)
        case ir.MapType(item) if isinstance(value, dict):
            for k, x in value.items():
                if not _accepts_null(item, defs):
                    out.append(Break((*path, k), "null"))
                out += breaks(item, x, (*path, k), defs)
        case ir.Ref():
            d = defs[t]
            if isinstance(d, ir.AliasDef):
                return out + [b for b in breaks(d.type, value, path, defs) if b.path != path or b.how != "wrong"]
            if isinstance(d, ir.UnionDef) and d.discriminator is not None and isinstance(value, dict):
                member = dict(d.discriminator.tags).get(value.get(d.discriminator.wire_name))  # type: ignore[arg-type]
                if member is not None:
                    found = breaks(member, value, path, defs)
                    if not _all_tagged(d):  # a broken tag would be read by the untagged members
                        found = [b for b in found if b.path[len(path) :][:1] != (d.discriminator.wire_name,)]
                    out += [b for b in found if b.path != path]
            if isinstance(d, ir.ObjectDef) and isinstance(value, dict):
                for f in d.fields:
                    if f.wire_name not in value:
                        continue
                    at = (*path, f.wire_name)
                    if f.required:
                        out.append(Break(at, "missing"))
                        if not f.nullable and not _accepts_null(f.type, defs):
                            out.append(Break(at, "null"))
                    if value[f.wire_name] is not None:
                        out += breaks(f.type, value[f.wire_name], at, defs)
    return out


def broken(payload: object, b: Break) -> object:
    out = copy.deepcopy(payload)
    *parents, last = b.path
    at: Any = out
    for step in parents:
        at = at[step]
    if b.how == "missing":
        del at[last]
    else:
        at[last] = None if b.how == "null" else b.wrong
    return out


@_settings(default=300, long_run_scale=2)
@given(data=st.data())
def test_a_broken_place_is_reported_at_its_path(payloads: Payloads, data: st.DataObject) -> None:
    FUZZ_CASES["decoder broken payloads"] += 1
    ref = ir.Ref(*data.draw(st.sampled_from(TYPES)))
    # A top-level value in a one-element list, so that even the root has a path to break.
    payload = [data.draw(payloads.of(ref))]
    places = breaks(ir.ArrayType(ref), payload, (), payloads.defs)
    places = [b for b in places if b.path]
    if not places:
        return
    b = data.draw(st.sampled_from(places))
    with pytest.raises(DecodeError) as info:
        decoder_of(ref)(broken(payload, b)[0])  # type: ignore[index]
    assert info.value.path == b.path[1:], (b, str(info.value))


# -- unknown fields and tags: kept by default, refused by ``decode(..., strict=True)`` ----------------------


def _objects_and_tags(t: ir.TypeNode, value: object, path: Path_, defs: dict[ir.Ref, ir.Definition]) -> list[Break]:
    """Places to add an unknown key (``how="field"``: the object's path) or to put an unknown tag
    (``how="tag"``: the tag's path), reached through decoders that pick exactly one member."""
    out: list[Break] = []
    match t:
        case ir.ArrayType(item) if isinstance(value, list):
            for i, x in enumerate(value):
                out += _objects_and_tags(item, x, (*path, i), defs)
        case ir.MapType(item) if isinstance(value, dict):
            for k, x in value.items():
                out += _objects_and_tags(item, x, (*path, k), defs)
        case ir.Ref() if isinstance(value, dict):
            d = defs[t]
            if isinstance(d, ir.AliasDef):
                return _objects_and_tags(d.type, value, path, defs)
            if isinstance(d, ir.UnionDef) and d.discriminator is not None and _all_tagged(d):
                member = dict(d.discriminator.tags).get(value.get(d.discriminator.wire_name))  # type: ignore[arg-type]
                if member is not None:
                    out.append(Break((*path, d.discriminator.wire_name), "tag", "zz_from_the_future"))
                    out += _objects_and_tags(member, value, path, defs)
            if isinstance(d, ir.ObjectDef):
                out.append(Break(path, "field", "zz_new_key"))
                for f in d.fields:
                    if value.get(f.wire_name) is not None:
                        out += _objects_and_tags(f.type, value[f.wire_name], (*path, f.wire_name), defs)
    return out


def _get(payload: object, path: Path_) -> Any:
    at: Any = payload
    for step in path:
        at = at[step]
    return at


@_settings(default=150)
@given(data=st.data())
def test_unknown_fields_and_tags_are_kept_or_refused(known_payloads: Payloads, data: st.DataObject) -> None:
    FUZZ_CASES["decoder unknown fields and tags"] += 1
    payloads = known_payloads
    ref = ir.Ref(*data.draw(st.sampled_from(TYPES)))
    payload = [data.draw(payloads.of(ref))]
    places = _objects_and_tags(ir.ArrayType(ref), payload, (), payloads.defs)
    if not places:
        return
    b = data.draw(st.sampled_from(places))
    changed = copy.deepcopy(payload)
    if b.how == "field":
        obj = _get(changed, b.path)
        if b.wrong in obj:
            return
        obj[b.wrong] = {"any": ["json", 1]}
        refused_at = (*b.path, b.wrong)
    else:
        _get(changed, b.path[:-1])[b.path[-1]] = b.wrong
        refused_at = b.path
    decoded = decode(ref_type(ref), changed[0])
    # Lenient (the default): nothing is lost, an unknown tag becomes UnknownVariant.
    assert encode(decoded) == changed[0]
    if b.how == "tag":
        assert isinstance(_decoded_at(decoded, b.path[1:-1]), UnknownVariant)
    with pytest.raises(DecodeError) as info:
        decode(ref_type(ref), changed[0], strict=True)
    assert info.value.path == refused_at[1:], (b, str(info.value))


def ref_type(ref: ir.Ref) -> Any:
    return getattr(importlib.import_module("openai_api." + ".".join(ref.module)), ref.name)


def _decoded_at(value: Any, path: Path_) -> Any:
    """The decoded value at a JSON path (attributes by wire name are good enough for these types)."""
    for step in path:
        if isinstance(step, int) or isinstance(value, dict):
            value = value[step]
        else:
            value = getattr(value, next(f for f in type(value).__dataclass_fields__ if f == step or f == step + "_"))
    return value
