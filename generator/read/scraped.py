"""Read a scraped SDK page (``java-text``, ``python-text``) into endpoints and entries like the other readers."""

from __future__ import annotations

import json
import re
from pathlib import PurePosixPath

from generator import ir
from generator.diagnostics import Diagnostic, Level, Span
from generator.read.doc import CodeBlock, EndpointDoc, Entry, ExampleDoc, PageDoc, SectionDoc
from generator.read.known import Known
from generator.read.recover import Frame, Recovery, example_entries
from generator.read.text import Item, TextPage, read_items

__all__ = ["read_scraped"]

_JAVA_CALL = re.compile(r"client\.([\w().]+)\(\s*(\"[^\"]*\")?\s*\)")
_VERB = {"list": "get", "retrieve": "get", "delete": "delete", "create": "post", "update": "post"}


def _sections(items: tuple[Item, ...]) -> list[tuple[Item, list[Item]]]:
    out: list[tuple[Item, list[Item]]] = []
    for item in items:
        if item.kind == "section":
            out.append((item, []))
        elif out:
            out[-1][1].append(item)
    return out


def _call(page: TextPage, file: str) -> tuple[list[str], str]:
    """Resource path and method: from the code example's call when there is one, else the page's name.

    Scraped pages carry no HTTP line; the Java example calls ``client.responses().retrieve(…)``, and a
    page without an example is named after its resource in the manifest (``responses.input_items…``).
    """
    for line in page.code:
        m = _JAVA_CALL.search(line)
        if m:
            parts = [p.removesuffix("()") for p in m.group(1).split(".")]
            resource = [re.sub(r"(?<=[a-z])([A-Z])", r"_\1", p).lower() for p in parts[:-1]]
            return resource, parts[-1]
    stem = PurePosixPath(file).name.split(".")
    # `responses.input_items.python.txt`; a file named otherwise (`holders.txt`) is its first word's resource.
    resource = stem[:-2] or stem[:1]
    verb = page.title[1].split()[0].lower() if len(page.title) > 1 else "retrieve"
    return resource, verb


def read_scraped(
    file: str, text: str, flavour: str, api: ir.Api | None, inferred: frozenset[str] = frozenset()
) -> tuple[PageDoc, list[Diagnostic]]:
    """Read a scraped page; ``api`` is what the markdown pages already define (the names to recover),
    ``inferred`` the pages among them whose nesting was inferred (their types are looked up last)."""
    java = flavour.startswith("java")
    page = read_items(file, text, java)
    known = Known(api, inferred)
    rec = Recovery(known, java)
    diagnostics: list[Diagnostic] = []
    example: dict[str, object] | None = None
    if page.example:
        try:
            loaded = json.loads(page.example)
            example = loaded if isinstance(loaded, dict) else None
        except json.JSONDecodeError as exc:
            diagnostics.append(
                Diagnostic(
                    Level.ERROR,
                    "E105",
                    f"the example response is not valid JSON: {exc.msg}",
                    Span(file, page.example_line + exc.lineno - 1, exc.colno),
                )
            )
    resource, method = _call(page, file)
    title = page.title[0] if page.title else file
    description = page.title[1] if len(page.title) > 1 else ""
    parent_id = f"{resource[0].removesuffix('s')}_id" if resource else "id"
    path_params: list[Entry] = []
    sections: list[SectionDoc] = []
    stream: SectionDoc | None = None
    domain: list[SectionDoc] = []
    returns_name = ""
    for head, items in _sections(page.items):
        if head.name == "Parameters" and items:
            # `ResponseRetrieveParams params`: the class that holds the parameters names them.
            params = Frame("object", items[0].type if items[0].kind == "field" else "", items[0], None, root=True)
            rec.build(params, items[1:] if items[0].kind == "field" else items)
            if _VERB.get(method, "get") in ("get", "delete"):
                _flatten(params)
            rec.record(params, None)
            entries = [*rec.entries(params)]
            sections.append(SectionDoc("Parameters", tuple(entries), head.span))
            continue
        # Returns / Models: a root class, and on the Java page the stream-event union after it.
        groups: list[tuple[Item, list[Item]]] = []
        for item in items:
            if item.kind in ("class", "union") and (not groups or item.kind == "union"):
                groups.append((item, []))
            elif groups:
                groups[-1][1].append(item)
        stream_groups: list[tuple[Item, list[Item]]] = []
        if groups and groups[-1][0].kind == "union":
            # A union's variants share the last word of its name (`ResponseStreamEvent`: `…Event`).
            union_item, body = groups[-1]
            suffix = re.findall(r"[A-Z][a-z0-9]*", union_item.name)[-1:]
            for item in body:
                if item.kind == "class" and suffix and item.name.endswith(suffix[0]) and item.name != union_item.name:
                    stream_groups.append((item, []))
                elif stream_groups:
                    stream_groups[-1][1].append(item)
            groups = groups[:-1]
        for root_item, body in groups:
            kind = "union" if root_item.kind == "union" else "object"
            frame = Frame(kind, root_item.name, root_item, None, root=True)
            if kind == "object" and head.name == "Returns" and example is not None:
                frame.example = example
            rec.build(frame, body)
            rec.name_by_example(frame)
            rec.record(frame, root_item.span)
            rec.page_shapes[frame.name] = rec.remember(frame)
            if frame.example is not None:
                # The example lists every key of the object: those are its fields, named by the page.
                slots = {x.wire: x for x in frame.slots if x.wire}
                fields = example_entries(rec, frame.example, frame.name, True, slots, root_item.span)
            else:
                fields = rec.entries(frame)
            entry = Entry(f"class {frame.name}: …", root_item.description, fields, root_item.span)
            listed = _listed_items(rec, frame)
            if head.name == "Returns":
                returns_name = frame.name
                sections.append(SectionDoc("Returns", (entry,), head.span))
            else:
                domain.append(SectionDoc(frame.name, (entry,), root_item.span))
                if listed is not None:
                    returns_name = listed.signature.removeprefix("class ").removesuffix(": …")
                    sections.append(SectionDoc("Returns", (listed,), head.span))
        if stream_groups:
            union_item = items[[i.kind for i in items].index("union")]
            members: list[Entry] = []
            for event_item, body in stream_groups:
                frame = Frame("object", event_item.name, event_item, None, root=True)
                rec.build(frame, body)
                rec.record(frame, event_item.span)
                fields = rec.entries(frame)
                members.append(Entry(f"class {event_item.name}: …", event_item.description, fields, event_item.span))
            entry = Entry(f"class {union_item.name}: …", union_item.description, tuple(members), union_item.span)
            stream = SectionDoc("Stream", (entry,), union_item.span)
    paginated = method == "list"
    if method in ("retrieve", "delete", "update") or len(resource) > 1:
        line = page.code_line or 1
        path_params.append(Entry(f"{parent_id}: str", "", (), Span(file, line, 1)))
    if path_params:
        first = sections[0] if sections and sections[0].title == "Parameters" else None
        merged = SectionDoc(
            "Parameters",
            tuple(path_params) + (first.entries if first else ()),
            first.span if first else path_params[0].span,
        )
        sections = [merged, *(s for s in sections if s is not first)]
    path = "/" + resource[0] + (f"/{{{parent_id}}}" if path_params else "") + "".join(f"/{r}" for r in resource[1:])
    ret = returns_name + ("Page" if paginated else "")
    call = f"{'.'.join(resource)}.{method}({parent_id if path_params else ''}) -> {ret}"
    examples: tuple[ExampleDoc, ...] = ()
    if page.example and example is not None:
        request = CodeBlock("java", "\n".join(page.code), Span(file, page.code_line, 1)) if page.code else None
        examples = (ExampleDoc(request, CodeBlock("json", page.example, Span(file, page.example_line, 1))),)
    endpoint = EndpointDoc(
        title,
        _VERB.get(method, "get"),
        path,
        description,
        tuple(sections),
        examples,
        Span(file, 1, 1),
        call,
        stream,
    )
    diagnostics.extend(rec.diagnostics)
    return PageDoc(file, flavour, (endpoint,), tuple(domain), tuple(rec.records)), diagnostics


def _flatten(params: Frame) -> None:
    """A read's parameters travel in the query string, which nests no objects: an entry the page
    lists under a parameter whose header it lost is the next parameter, not a field of that one."""
    slots = []
    for slot in params.slots:
        slots.append(slot)
        child = slot.child
        if child is not None and not slot.wire and not child.members:
            slots.extend(child.slots)
            slot.child = None
    params.slots = slots


def _listed_items(rec: Recovery, frame: Frame) -> Entry | None:
    """``XList``'s unnamed list of a union: the items a cursor page of ``X`` holds."""
    if not frame.name.endswith("List"):
        return None
    for slot in frame.slots:
        child = slot.child
        if child is not None and child.kind == "union" and child.members and not slot.wire:
            child.name = frame.name.removesuffix("List")
            child.root = True
            for m in child.members:
                m.root = False
            return Entry(f"class {child.name}: …", slot.item.description, rec.union_children(child), slot.item.span)
    return None
