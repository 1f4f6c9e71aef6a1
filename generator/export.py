"""Export the type graph as stable, sorted JSON (IR snapshots, ``docgen export``)."""

from __future__ import annotations

import dataclasses
import enum
import json

from generator import ir
from generator.diagnostics import Span

__all__ = ["ir_to_data", "ir_to_json"]


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


def ir_to_json(api: ir.Api) -> str:
    return json.dumps(ir_to_data(api), indent=1, sort_keys=True, ensure_ascii=False) + "\n"
