"""Name rules: Python-safe identifiers, module names, and the SDK's naming of nested types."""

from __future__ import annotations

import keyword
import re

from generator.read.doc import EndpointDoc

__all__ = ["endpoint_names", "module_name", "pascal", "safe_identifier", "singular", "snake"]

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z0-9])|[A-Z]?[a-z0-9]+|[A-Z]+")


def snake(name: str) -> str:
    """``URLCitation`` → ``url_citation``; ``ResponseInputText`` → ``response_input_text``."""
    return "_".join(w.lower() for w in _WORD.findall(name))


def pascal(name: str) -> str:
    """``created_at`` → ``CreatedAt``; a name already in PascalCase is kept."""
    parts = re.split(r"[^A-Za-z0-9]+", name)
    out = "".join(p[:1].upper() + p[1:] for p in parts if p)
    if not out or out[0].isdigit():
        out = "T" + out
    if keyword.iskeyword(out):  # `True`, `False`, `None`
        out += "_"
    return out


def singular(name: str) -> str:
    """The singular of a PascalCase plural: ``Annotations`` → ``Annotation``, ``Entries`` → ``Entry``."""
    if name.endswith("ies") and len(name) > 4:
        return name[:-3] + "y"
    if name.endswith(("sses", "shes", "ches", "xes")):
        return name[:-2]
    if name.endswith("s") and not name.endswith(("ss", "us", "is")):
        return name[:-1]
    return name


def safe_identifier(name: str) -> str:
    """A valid, non-keyword identifier for a wire name: ``in`` → ``in_``, ``a-b`` → ``a_b``."""
    out = re.sub(r"\W", "_", name)
    if not out or out[0].isdigit():
        out = "_" + out
    if keyword.iskeyword(out):
        out += "_"
    return out


_CLIENT_ARGUMENTS = frozenset({"self", "extra_headers", "extra_query", "extra_body", "timeout"})
"""Arguments every generated client method has besides the endpoint's parameters."""


def argument_name(name: str) -> str:
    """A parameter's name as a client method argument: one that would clash with the method's own
    arguments takes a trailing ``_`` (its wire name stays)."""
    return name + "_" if name in _CLIENT_ARGUMENTS else name


def module_name(type_name: str) -> str:
    """The module a root type lives in."""
    return safe_identifier(snake(type_name))


_VERBS = {("post", False): "create", ("get", False): "list", ("get", True): "retrieve"}
_VERBS |= {("post", True): "update", ("delete", True): "delete", ("patch", True): "update"}

_CALL = re.compile(r"^([\w.]+)\((.*)\)\s*->\s*([\w.]+)(?:\[([\w.]+)\])?\s*$")


def endpoint_names(doc: EndpointDoc) -> tuple[list[str], str, str, bool] | None:
    """Resource path, method name, params class name (if the page gives it) and whether it pages."""
    m = _CALL.match(doc.call)
    if m:
        *resource, method = m.group(1).split(".")
        params = re.search(r"(\w+)\*\*kwargs", m.group(2))
        # `SyncConversationCursorPage[ConversationItem]`, `ConversationCursorPage`: a page of items.
        paginated = m.group(3).endswith("Page")
        if resource:
            return resource, method, params.group(1) if params and params.group(1) else "", paginated
    segments = [s for s in doc.path.strip("/").split("/") if s]
    literal = [s for s in segments if not s.startswith("{")]
    ends_with_param = bool(segments) and segments[-1].startswith("{")
    if not literal:
        return None
    title_verb = doc.title.split()[0].lower() if doc.title.split() else ""
    if not ends_with_param and len(literal) > 1 and title_verb == literal[-1].lower():
        return literal[:-1], literal[-1], "", False
    return literal, _VERBS.get((doc.http_method, ends_with_param), doc.http_method), "", False
