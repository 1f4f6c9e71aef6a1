"""The type graph: plain frozen data that every reader builds and every renderer reads."""

from __future__ import annotations

import enum
import keyword
from dataclasses import dataclass

from generator.diagnostics import Span

__all__ = [
    "AliasDef",
    "Api",
    "ArrayType",
    "Definition",
    "Discriminator",
    "Endpoint",
    "EntryRead",
    "Example",
    "Field",
    "LiteralType",
    "MapType",
    "Module",
    "ObjectDef",
    "Param",
    "Primitive",
    "PrimitiveType",
    "Ref",
    "Side",
    "TypeNode",
    "UnionDef",
    "UnionType",
]


def _check_identifier(name: str, what: str) -> None:
    if not name.isidentifier() or keyword.iskeyword(name):
        raise ValueError(f"{what} {name!r} is not a Python identifier")


class Side(enum.Enum):
    """Which way a type travels: requests are TypedDicts, responses are dataclasses."""

    REQUEST = "request"
    RESPONSE = "response"


class Primitive(enum.Enum):
    STR = "str"
    INT = "int"
    FLOAT = "float"
    BOOL = "bool"
    ANY = "any"
    """Any JSON value."""


@dataclass(frozen=True, slots=True)
class PrimitiveType:
    kind: Primitive


@dataclass(frozen=True, slots=True)
class LiteralType:
    """One of a fixed set of JSON scalars."""

    values: tuple[str | int | bool, ...]

    def __post_init__(self) -> None:
        if not self.values:
            raise ValueError("a literal type needs at least one value")


@dataclass(frozen=True, slots=True)
class ArrayType:
    item: TypeNode


@dataclass(frozen=True, slots=True)
class MapType:
    """A JSON object with string keys."""

    value: TypeNode


@dataclass(frozen=True, slots=True)
class UnionType:
    """An anonymous union of types that need no named alias (no object members)."""

    members: tuple[TypeNode, ...]

    def __post_init__(self) -> None:
        if len(self.members) < 2:
            raise ValueError("a union needs at least two members")


@dataclass(frozen=True, slots=True, order=True)
class Ref:
    """A named definition: module path (``("types", "responses", "message")``) and name."""

    module: tuple[str, ...]
    name: str

    def __post_init__(self) -> None:
        _check_identifier(self.name, "type name")
        for part in self.module:
            _check_identifier(part, "module name")


TypeNode = PrimitiveType | LiteralType | ArrayType | MapType | UnionType | Ref


@dataclass(frozen=True, slots=True)
class Field:
    """A field of an object (or a parameter of a request body)."""

    wire_name: str
    """The JSON key."""
    name: str
    """The Python attribute name (the wire name made safe)."""
    type: TypeNode
    required: bool
    """The key is always present (responses) / must be given (requests)."""
    nullable: bool
    """``null`` is a valid value."""
    description: str
    span: Span

    def __post_init__(self) -> None:
        _check_identifier(self.name, "field name")


@dataclass(frozen=True, slots=True)
class ObjectDef:
    """A JSON object with known fields."""

    name: str
    fields: tuple[Field, ...]
    description: str
    span: Span

    def __post_init__(self) -> None:
        _check_identifier(self.name, "type name")
        wire = [f.wire_name for f in self.fields]
        if len(set(wire)) != len(wire):
            raise ValueError(f"{self.name} has duplicate fields")


@dataclass(frozen=True, slots=True)
class Discriminator:
    """The field whose literal value tells the union members apart."""

    wire_name: str
    tags: tuple[tuple[str | int | bool, Ref], ...]
    """Each tag value and the member it selects, in member order."""


@dataclass(frozen=True, slots=True)
class UnionDef:
    """A named union with at least one object member."""

    name: str
    members: tuple[TypeNode, ...]
    discriminator: Discriminator | None
    description: str
    span: Span

    def __post_init__(self) -> None:
        _check_identifier(self.name, "type name")
        if not self.members:
            raise ValueError(f"union {self.name} has no members")


@dataclass(frozen=True, slots=True)
class AliasDef:
    """A named alias of another type: a literal enum, an array, a primitive."""

    name: str
    type: TypeNode
    description: str
    span: Span

    def __post_init__(self) -> None:
        _check_identifier(self.name, "type name")


Definition = ObjectDef | UnionDef | AliasDef


@dataclass(frozen=True, slots=True)
class Module:
    """One generated module: a root type and the types nested in its namespace."""

    path: tuple[str, ...]
    """Dotted module path inside the package, e.g. ``("types", "responses", "usage")``."""
    root: str
    """The name of the module's root definition."""
    side: Side
    definitions: tuple[Definition, ...]
    """Nested definitions first (dependency order is not needed: annotations are lazy)."""
    source: str
    """The spec file the root was first read from."""


@dataclass(frozen=True, slots=True)
class Param:
    """A path or query parameter (body parameters live in the endpoint's params TypedDict)."""

    wire_name: str
    name: str
    type: TypeNode
    required: bool
    description: str
    span: Span

    def __post_init__(self) -> None:
        _check_identifier(self.name, "parameter name")


@dataclass(frozen=True, slots=True)
class Example:
    """A request/response example from the docs."""

    request: str
    """The request as written (curl for HTTP pages)."""
    response: str
    """The JSON response text."""
    span: Span
    """Where the response block starts."""


@dataclass(frozen=True, slots=True)
class Endpoint:
    """One API operation."""

    resource: tuple[str, ...]
    """Resource path on the client, e.g. ``("conversations", "items")``."""
    method_name: str
    """Client method name, e.g. ``create``."""
    http_method: str
    """Upper-case HTTP method."""
    path: str
    """URL template with ``{param}`` placeholders."""
    title: str
    description: str
    path_params: tuple[Param, ...]
    query_params: tuple[Param, ...]
    body: Ref | None
    """The request body's params TypedDict."""
    returns: TypeNode | None
    examples: tuple[Example, ...]
    span: Span
    paginated: bool = False
    """The endpoint returns a cursor page of ``returns`` items."""
    stream_event: TypeNode | None = None
    """What each server-sent event decodes to when the call asks for ``stream=true``; ``None`` when the
    docs describe no streamed form."""

    def __post_init__(self) -> None:
        _check_identifier(self.method_name, "method name")


@dataclass(frozen=True, slots=True)
class EntryRead:
    """How a field entry of a scraped page got its name, or that it got none (the coverage report)."""

    owner: str
    """The type it belongs to: ``module.path:Name`` when the graph has it, else the page's label."""
    how: str
    """``page``, ``description``, ``example`` or ``unnamed``."""
    description: str
    span: Span
    name: str = ""
    """The JSON key the entry was given; empty when unnamed."""


@dataclass(frozen=True, slots=True)
class Api:
    """The whole type graph."""

    package: str
    modules: tuple[Module, ...]
    """Sorted by path."""
    endpoints: tuple[Endpoint, ...]
    """Sorted by resource and method name."""
    sources: tuple[str, ...]
    """The spec files read."""
    entries_read: tuple[EntryRead, ...] = ()
    """Scraped pages: every field entry, and how it was named; sorted by location."""
