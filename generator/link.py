"""Link doc entries into the type graph: resolve references, name every type, check the docs."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from generator import graph, ir, passes
from generator.coverage import entries_read
from generator.diagnostics import Diagnostic, Level, Span
from generator.flavours.expr import (
    AliasSig,
    ArrayExpr,
    BareSig,
    Expr,
    FieldSig,
    LiteralExpr,
    MapExpr,
    NamedExpr,
    ObjectExpr,
    PrimitiveExpr,
    Signature,
    UnionExpr,
    member_slots,
    named_in,
)
from generator.naming import argument_name, endpoint_names, module_name, pascal, safe_identifier, singular, snake
from generator.passes import ModuleBuilder
from generator.read.doc import EndpointDoc, Entry, PageDoc, SectionDoc, UnnamedDoc

__all__ = ["Dialect", "SignatureParser", "link"]

SignatureParser = Callable[[str], Signature]
"""Parses one entry's code span; raises an exception with an ``offset`` attribute on bad input."""


@dataclass(frozen=True, slots=True)
class Dialect:
    """What a docs flavour means by its signatures, beyond their syntax."""

    parse: SignatureParser
    qualified_titles: bool = False
    """Class titles are already unique, path-qualified names (``ActionClick``): use them as they are."""
    order_gives_optional: bool = False
    """No optional marker: fields come required-first, each group alphabetical, so a second run is optional."""
    priority: int = 0
    """Pages of a lower number win when two pages define the same type differently."""
    fieldless_classes: bool = False
    """A class listed with no fields has none the page could name (scraped pages), not "see above"."""
    local_names: bool = False
    """The names the page's types use are its own: they do not make other pages' titles roots."""


_STRING = ir.PrimitiveType(ir.Primitive.STR)


def _argument(f: ir.Field) -> ir.Field:
    return replace(f, name=argument_name(f.name))


_PRIMITIVES = {
    "string": ir.Primitive.STR,
    "number": ir.Primitive.FLOAT,
    "integer": ir.Primitive.INT,
    "boolean": ir.Primitive.BOOL,
    "unknown": ir.Primitive.ANY,
    "null": ir.Primitive.ANY,
}


@dataclass(frozen=True, slots=True)
class _Ctx:
    """Where a type expression sits: which namespace, which side, what to call inline types."""

    module: tuple[str, ...]
    side: ir.Side
    name: str
    """The name an inline object or union at this position gets."""
    is_root: bool
    """The position is the module's root definition itself."""
    section: tuple[str, str]
    """(file, section id): collapsed entries refer back to expansions in the same section."""
    resource: str
    """First resource segment (``responses``): the folder root types go to."""
    field: str = ""
    """The field whose type this is, when it is one."""


class _Linker:
    def __init__(self, package: str, dialects: dict[str, Dialect]) -> None:
        self.package = package
        self.dialects = dialects
        self.home: dict[str, str] = {}
        """Root type name → the resource folder of the page that lists it among its domain types."""
        self.conflicts: list[tuple[str, Span, Span, str]] = []
        self.refinements: list[tuple[str, Span, Span, str]] = []
        """(type, kept definition's span, other definition's span, what differs) across pages."""
        self.domain_roots: list[ir.TypeNode] = []
        self.readings: dict[tuple[tuple[str, ...], str], list[ir.Definition]] = {}
        """Differing expansions of one type on a collapsed page, to settle by majority."""
        self.titles: dict[str, ir.Ref] = {}
        """Expanded class titles of pages whose titles are unique (for bare mentions in other sections)."""
        self.diagnostics: list[Diagnostic] = []
        self.modules: dict[tuple[str, ...], ModuleBuilder] = {}
        self.expanded: dict[tuple[tuple[str, str], str | None, tuple[str, ...], int], ir.Ref] = {}
        self.named: set[str] = set()
        """Every name a type expression uses as a reference: these are root types."""
        self.sigs: dict[int, Signature | None] = {}
        self.lines: dict[str, list[str]] = {}
        self.endpoints: list[ir.Endpoint] = []
        self.mixed: set[int] = set()
        """Endpoints whose page lists body and query parameters in one section (see ``split_query``)."""
        self.flavour = ""
        self.read_entries: list[UnnamedDoc] = []

    # -- diagnostics -------------------------------------------------------------------------

    def report(self, level: Level, code: str, message: str, span: Span, offset: int = 0) -> None:
        lines = self.lines.get(span.file, [])
        source = lines[span.line - 1] if 0 < span.line <= len(lines) else ""
        if offset:
            span = Span(span.file, span.line, span.col + 1 + offset)
        self.diagnostics.append(Diagnostic(level, code, message, span, source))

    def error(self, code: str, message: str, span: Span, offset: int = 0) -> None:
        self.report(Level.ERROR, code, message, span, offset)

    # -- signatures --------------------------------------------------------------------------

    def sig(self, entry: Entry) -> Signature | None:
        key = id(entry)
        if key not in self.sigs:
            try:
                self.sigs[key] = self.dialect.parse(entry.signature)
            except Exception as exc:  # every flavour's parser raises with an offset
                offset = getattr(exc, "offset", None)
                if offset is None:
                    raise
                self.error("E103", f"cannot parse `{entry.signature}`: {exc}", entry.span, offset)
                self.sigs[key] = None
        return self.sigs[key]

    def collect_names(self, entries: Sequence[Entry]) -> None:
        for entry in entries:
            s = self.sig(entry)
            if s is not None:
                expr = s.type
                self._names_in(expr)
            self.collect_names(entry.children)

    def _names_in(self, expr: Expr) -> None:
        match expr:
            case NamedExpr(name):
                self.named.add(name)
            case ArrayExpr(item):
                self._names_in(item)
            case MapExpr(value):
                self._names_in(value)
            case UnionExpr(members):
                for m in members:
                    self._names_in(m)
            case _:
                pass

    @property
    def dialect(self) -> Dialect:
        return self.dialects[self.flavour]

    # -- definitions -------------------------------------------------------------------------

    def root_ref(self, name: str, ctx: _Ctx) -> ir.Ref:
        # Request-side roots take the SDK's `Param` suffix, once (Python pages already write it).
        suffix = "Param" if ctx.side is ir.Side.REQUEST and not name.endswith(("Param", "Params")) else ""
        py = pascal(name) + suffix
        # One module per root across all pages: its domain page's resource, else where it is first met.
        folder = self.home.setdefault(name, ctx.resource)
        return ir.Ref(("types", folder, module_name(py)), py)

    def define(self, ref: ir.Ref, d: ir.Definition, ctx: _Ctx, span: Span, root: bool) -> ir.Ref:
        mod = self.modules.get(ref.module)
        if mod is None:
            mod = self.modules[ref.module] = ModuleBuilder(ref.module, ref.name, ctx.side, span.file)
        if root:
            mod.root = d.name
        existing = mod.defs.get(d.name)
        refined = None
        if existing is not None and graph.strip(existing) != graph.strip(d) and existing.span.file != span.file:
            refined = passes.merge(
                self.modules,
                existing,
                d,
                optional_stated=not self.dialect.order_gives_optional,
                sdk_names=self.dialect.qualified_titles,
            )
        if refined is not None and existing is not None:
            # The pages agree but say different amounts: the merged type admits what either allows.
            mod.defs[d.name], changes = refined
            if changes:
                self.refinements.append((d.name, existing.span, span, "; ".join(changes)))
        elif existing is not None and graph.strip(existing) != graph.strip(d) and existing.span.file != span.file:
            # Two pages describe the type differently: keep the first (pages are read by priority).
            self.conflicts.append((d.name, existing.span, span, graph.difference(existing, d)))
        elif existing is not None and graph.strip(existing) != graph.strip(d) and self.flavour.endswith("-collapsed"):
            # A collapsed page's nesting is inferred; the shape most of its expansions agree on wins.
            self.readings.setdefault((ref.module, d.name), [existing]).append(d)
        elif existing is not None and graph.strip(existing) != graph.strip(d):
            first = existing.span
            what = "root type" if root else f"type in module {'.'.join(ref.module)}"
            self.error("E201", f"{what} {d.name!r} is defined twice with different shapes (first at {first})", span)
        elif existing is None:
            mod.defs[d.name] = d
        return ref

    def is_nested_name(self, name: str, ctx: _Ctx) -> bool:
        """On a page with qualified titles, a type named by its path (``ActionDragPath``) is nested."""
        return self.dialect.qualified_titles and bool(ctx.field) and name in (ctx.name, singular(ctx.name))

    def owns_namespace(self, title: str, entry: Entry) -> bool:
        """A Python class whose nested types are not prefixed with its name is a root (``action: Action``)."""
        for child in entry.children:
            s = self.sig(child)
            if not isinstance(s, FieldSig):
                continue
            own = pascal(s.name)
            for name in named_in(s.type):
                if name in (own, singular(own)):
                    return True
                if name.startswith(title) and name[len(title) :] in (own, singular(own)):
                    return False
        return False

    def nested_name(self, ctx: _Ctx, field_name: str) -> str:
        own = pascal(field_name)
        return own if ctx.is_root else ctx.name + own

    # -- types -------------------------------------------------------------------------------

    def type_of(self, expr: Expr, children: Sequence[Entry], ctx: _Ctx, span: Span) -> ir.TypeNode:
        match expr:
            case PrimitiveExpr(kind):
                return ir.PrimitiveType(_PRIMITIVES[kind])
            case LiteralExpr(value):
                return ir.LiteralType((value,))
            case ArrayExpr(UnionExpr(members) as union) if self.array_binds_tight(members, children):
                # The entries show `array of A or B` meant `(array of A) or B`; they are authoritative.
                tight = UnionExpr((ArrayExpr(members[0]), *members[1:]), union.more, union.more_at)
                return self.type_of(tight, children, ctx, span)
            case ArrayExpr(item):
                return ir.ArrayType(self.type_of(item, children, _item_ctx(ctx), span))
            case MapExpr(value):
                return ir.MapType(self.type_of(value, children, ctx, span))
            case ObjectExpr():
                return self.object_type(expr, children, ctx, span, "")
            case NamedExpr(name) if self.is_nested_name(name, ctx):
                # Python pages name nested types too (`content: List[Content]`): keep the name, in
                # the namespace of the type whose field it is.
                if not children:
                    return self.titles.get(name) or ir.Ref(ctx.module, name)
                nested = _Ctx(ctx.module, ctx.side, name, False, ctx.section, ctx.resource)
                return self.named_type(name, children, nested, span, ref=ir.Ref(ctx.module, name))
            case NamedExpr(name):
                return self.named_type(name, children, ctx, span)
            case UnionExpr():
                return self.union_type(expr, children, ctx, span)

    def array_binds_tight(self, members: tuple[Expr, ...], children: Sequence[Entry]) -> bool:
        first = self.sig(children[0]) if children else None
        return (
            len(children) == len(members)
            and isinstance(first, AliasSig | BareSig)
            and first.type == ArrayExpr(members[0])
        )

    def literal_values(self, expr: UnionExpr, children: Sequence[Entry]) -> tuple[str | int | bool, ...]:
        values: list[str | int | bool] = []
        for child in children:
            s = self.sig(child)
            if isinstance(s, BareSig) and isinstance(s.type, LiteralExpr):
                values.append(s.type.value)
        shown = tuple(m.value for m in expr.members if isinstance(m, LiteralExpr))
        if len(values) == len(shown) + expr.more and values[: len(shown)] == list(shown):
            return tuple(values)
        if children:
            span = children[0].span
            self.error(
                "E111",
                f"literal values listed ({len(values)}) disagree with the type ({len(shown)}" f" + {expr.more} more)",
                span,
            )
        return shown

    def union_type(self, expr: UnionExpr, children: Sequence[Entry], ctx: _Ctx, span: Span) -> ir.TypeNode:
        if all(isinstance(m, LiteralExpr) for m in expr.members):
            return ir.LiteralType(
                self.literal_values(expr, children)
                if children
                else tuple(m.value for m in expr.members if isinstance(m, LiteralExpr))
            )
        slots = member_slots(expr)
        named_at: dict[int, str] = {}
        if len(slots) != len(children):
            merged = member_slots(expr, absorb_more=True)
            if len(merged) == len(children):
                slots = merged
            elif children:
                self.error("E112", f"the union shows {len(slots)} members but the docs list {len(children)}", span)
        for i, slot in enumerate(slots):
            if isinstance(slot, NamedExpr):
                named_at[i] = slot.name
        if not children:
            # A collapsed union: only the members the expression shows are known.
            if expr.more:
                self.error("E113", "a truncated union (`N more`) with no member entries", span)
            members = [self.type_of(m, (), ctx, span) for m in expr.members]
            return self.make_union(members, ctx, span, "", named=False)
        union_name = ctx.name
        member_types: list[ir.TypeNode] = []
        has_object = False
        for i, child in enumerate(children):
            s = self.sig(child)
            if s is None:
                continue
            if isinstance(s, BareSig) and isinstance(s.type, ObjectExpr):
                has_object = True
                title = s.type.title
                root_name = (
                    named_at.get(i)
                    if i in named_at
                    else (title if title is not None and title in self.named and i >= len(expr.members) else None)
                )
                if root_name is None and title and self.dialect.qualified_titles and self.owns_namespace(title, child):
                    root_name = title
                if root_name is not None and title == root_name:
                    member_types.append(
                        self.named_type(root_name, child.children, ctx, child.span, s.type, child.description)
                    )
                    continue
                local = title or f"UnionMember{i}"
                # Titles a page keeps unique (Python's `ActionClick`) are the SDK's names already.
                bare = ctx.is_root or (self.dialect.qualified_titles and title is not None)
                member_ctx = _Ctx(
                    ctx.module, ctx.side, local if bare else union_name + local, False, ctx.section, ctx.resource
                )
                member_types.append(self.object_type(s.type, child.children, member_ctx, child.span, child.description))
            elif isinstance(s, AliasSig):
                if named_at.get(i) == s.name:
                    member_types.append(self.alias_root(s, child, ctx))
                else:
                    sub = _Ctx(ctx.module, ctx.side, union_name + pascal(s.name), False, ctx.section, ctx.resource)
                    member_types.append(self.type_of(s.type, child.children, sub, child.span))
            elif isinstance(s, BareSig):
                if isinstance(s.type, NamedExpr):
                    has_object = True
                elif i in named_at and not isinstance(s.type, PrimitiveExpr):
                    # Python pages spell a named alias member by its definition (`List[X]`).
                    member_types.append(self.alias_root(AliasSig(named_at[i], s.type), child, ctx))
                    continue
                t = self.type_of(s.type, child.children, ctx, child.span)
                member_types.append(t)
            else:
                self.error("E114", "a field entry where a union member was expected", child.span)
        return self.make_union(member_types, ctx, span, union_name, named=has_object)

    def make_union(self, members: list[ir.TypeNode], ctx: _Ctx, span: Span, name: str, named: bool) -> ir.TypeNode:
        flat: list[ir.TypeNode] = []
        for m in members:
            for x in m.members if isinstance(m, ir.UnionType) else (m,):
                if x not in flat:
                    flat.append(x)
        literal_values = [v for m in flat if isinstance(m, ir.LiteralType) for v in m.values]
        if not flat:  # every member was unreadable; the reason is already reported
            return ir.PrimitiveType(ir.Primitive.ANY)
        if len(flat) == 1:
            return flat[0]
        if literal_values and all(isinstance(m, ir.LiteralType) for m in flat):
            return ir.LiteralType(tuple(dict.fromkeys(literal_values)))
        if not named or not name:
            return ir.UnionType(tuple(flat))
        ref = ir.Ref(ctx.module, name)
        return self.define(ref, ir.UnionDef(name, tuple(flat), None, "", span), ctx, span, ctx.is_root)

    def alias_root(self, s: AliasSig, child: Entry, ctx: _Ctx) -> ir.TypeNode:
        ref = self.root_ref(s.name, ctx)
        if not child.children and not isinstance(s.type, PrimitiveExpr | LiteralExpr):
            return ref
        sub = _Ctx(ref.module, ctx.side, ref.name, True, ctx.section, ctx.resource)
        inner = self.type_of(s.type, child.children, sub, child.span)
        if isinstance(inner, ir.Ref) and inner.name == ref.name and inner.module == ref.module:
            return ref
        return self.define(ref, ir.AliasDef(ref.name, inner, child.description, child.span), sub, child.span, True)

    def named_type(
        self,
        name: str,
        children: Sequence[Entry],
        ctx: _Ctx,
        span: Span,
        hint: ObjectExpr | None = None,
        description: str = "",
        ref: ir.Ref | None = None,
    ) -> ir.TypeNode:
        """A type the docs name: a root with its own module, unless ``ref`` places it elsewhere."""
        root = ref is None
        ref = ref or self.root_ref(name, ctx)
        if not children:
            return ref
        sub = _Ctx(ref.module, ctx.side, ref.name, root, ctx.section, ctx.resource)
        sigs = [s for s in (self.sig(c) for c in children) if s is not None]
        if all(isinstance(s, FieldSig) for s in sigs):
            obj = hint or ObjectExpr(name, (), -1)
            self.object_type(obj, children, sub, span, description)
            return ref
        if all(isinstance(s, BareSig) and isinstance(s.type, LiteralExpr) for s in sigs):
            values = tuple(s.type.value for s in sigs if isinstance(s, BareSig) and isinstance(s.type, LiteralExpr))
            self.define(ref, ir.AliasDef(ref.name, ir.LiteralType(values), description, span), sub, span, root)
            return ref
        # Otherwise the children are the members of a named union.
        members = tuple(
            (
                NamedExpr(s.type.title)
                if isinstance(s, BareSig) and isinstance(s.type, ObjectExpr) and s.type.title in self.named
                else _placeholder(s)
            )
            for s in sigs
        )
        inner = self.union_type(UnionExpr(members, 0), children, sub, span)
        if isinstance(inner, ir.Ref) and inner == ref:
            self.attach_description(ref, description)
        else:
            self.define(ref, ir.AliasDef(ref.name, inner, description, span), sub, span, root)
        return ref

    def attach_description(self, ref: ir.Ref, description: str) -> None:
        mod = self.modules.get(ref.module)
        d = mod.defs.get(ref.name) if mod is not None else None
        if mod is None or d is None:  # `Foo` whose only member is `Foo`: never defined; `finish` says so (E120)
            return
        if description and not d.description:
            mod.defs[ref.name] = replace(d, description=description)

    def object_type(
        self, expr: ObjectExpr, children: Sequence[Entry], ctx: _Ctx, span: Span, description: str
    ) -> ir.TypeNode:
        key = (ctx.section, expr.title, expr.hint, expr.more)
        if not children and (expr.hint or expr.more) and not self.dialect.fieldless_classes:
            found = self.expanded.get(key) or (self.titles.get(expr.title) if expr.title else None)
            if found is None:
                # The data is kept as it comes (any JSON); the docs never say what is inside.
                self.report(
                    Level.WARNING,
                    "W115",
                    f"`{expr.title or 'object'}` is shown collapsed but its fields "
                    "are listed nowhere earlier in this section",
                    span,
                )
                return ir.PrimitiveType(ir.Primitive.ANY)
            return found
        fields = self.fields(children, ctx)
        # An entry that could not be read is already reported; the count would only repeat it.
        if expr.more >= 0 and all(self.sig(c) is not None for c in children):
            names = [f.wire_name for f in fields]
            if names[: len(expr.hint)] != list(expr.hint) or len(names) != len(expr.hint) + expr.more:
                self.error(
                    "E110",
                    f"the type says {{ {', '.join(expr.hint)}{f', {expr.more} more' if expr.more else ''}"
                    f" }} but the entries list {{ {', '.join(names)} }}",
                    span,
                )
        ref = ir.Ref(ctx.module, ctx.name)
        self.define(ref, ir.ObjectDef(ctx.name, tuple(fields), description, span), ctx, span, ctx.is_root)
        self.expanded.setdefault(key, ref)
        if self.dialect.qualified_titles and expr.title:
            self.titles.setdefault(expr.title, ref)
        return ref

    def fields(self, entries: Sequence[Entry], ctx: _Ctx) -> list[ir.Field]:
        out: list[ir.Field] = []
        seen: dict[str, str] = {}
        for entry in entries:
            s = self.sig(entry)
            if s is None:
                continue
            if not isinstance(s, FieldSig):
                self.error("E116", "expected a field `name: type` here", entry.span)
                continue
            py = safe_identifier(s.name)
            if py in seen:
                self.error(
                    "E117",
                    (
                        f"field {s.name!r} is listed twice"
                        if seen[py] == s.name
                        else f"fields {seen[py]!r} and {s.name!r} both map to {py!r}"
                    ),
                    entry.span,
                )
                continue
            seen[py] = s.name
            sub = _Ctx(ctx.module, ctx.side, self.nested_name(ctx, s.name), False, ctx.section, ctx.resource, s.name)
            t = self.type_of(s.type, entry.children, sub, entry.span)
            out.append(ir.Field(s.name, py, t, not s.optional, s.nullable, entry.description, entry.span))
        if self.dialect.order_gives_optional:
            out = graph.optional_by_order(out)
        return out

    # -- endpoints ---------------------------------------------------------------------------

    def endpoint(self, page: PageDoc, doc: EndpointDoc) -> None:
        if not doc.path.startswith("/"):
            self.error("E104", f"the path {doc.path!r} does not start with '/'", doc.span)
            return
        named = endpoint_names(doc)
        if named is None:
            self.error("E104", f"cannot derive a resource from path {doc.path!r}", doc.span)
            return
        resource, method, params_name, paginated = named
        res = tuple(safe_identifier(snake(r)) for r in resource)
        params_name = params_name or pascal(singular(pascal(res[-1]))) + pascal(method) + "Params"
        params_module = ("types", res[0], module_name(params_name))
        body: ir.Ref | None = None
        returns: ir.TypeNode | None = None
        stream_event: ir.TypeNode | None = None
        if doc.stream is not None:
            sid = (page.file, f"{doc.title}/{doc.stream.title}")
            stream_event = self.returns(doc.stream, _Ctx((), ir.Side.RESPONSE, "", True, sid, res[0]))
        path_params: list[ir.Param] = []
        query_params: list[ir.Param] = []
        arguments: list[ir.Field] = []  # every parameter, in whichever section: they become one method's arguments
        for section in doc.sections:
            sid = (page.file, f"{doc.title}/{section.title}")
            title = section.title.lower()
            if title.startswith("returns"):
                # What an unnamed returned type (`object { … }` with no name) is called: like the params.
                response = params_name.removesuffix("Params") + "Response"
                where = ("types", res[0], module_name(response))
                returns = self.returns(section, _Ctx(where, ir.Side.RESPONSE, response, True, sid, res[0]))
                continue
            ctx = _Ctx(params_module, ir.Side.REQUEST, params_name, True, sid, res[0])
            if title.startswith("body"):
                fields = [_argument(f) for f in self.fields(section.entries, ctx)]
                arguments.extend(fields)
                body = ir.Ref(params_module, params_name)
                self.define(
                    body,
                    ir.ObjectDef(params_name, tuple(fields), doc.description, section.span),
                    ctx,
                    section.span,
                    True,
                )
            elif title.startswith(("path", "query")):
                found = [_argument(f) for f in self.fields(section.entries, ctx)]
                arguments.extend(found)
                params = [graph.param_of(f, f.required or title.startswith("path")) for f in found]
                (path_params if title.startswith("path") else query_params).extend(params)
            elif title == "parameters":
                # SDK pages list every parameter in one section: the path names its own; the rest
                # travel in the query string for reads and deletes, in the body otherwise.
                in_query = doc.http_method in ("get", "delete", "head")
                if not in_query:
                    self.mixed.add(len(self.endpoints))
                body_fields = []
                found = [_argument(f) for f in self.fields(section.entries, ctx)]
                passed = doc.passed() if self.dialect.order_gives_optional else None
                if passed is not None:
                    # The field order alone cannot tell whether a lone run is required: an example
                    # that leaves a parameter out can (`openai.conversations.create`).
                    found = [replace(f, required=f.required and f.name in passed) for f in found]
                arguments.extend(found)
                for f in found:
                    if "{" + f.wire_name + "}" in doc.path:
                        path_params.append(graph.param_of(f, True))
                    elif in_query:
                        query_params.append(graph.param_of(f, f.required))
                    else:
                        body_fields.append(f)
                if body_fields:
                    body = ir.Ref(params_module, params_name)
                    self.define(
                        body,
                        ir.ObjectDef(params_name, tuple(body_fields), doc.description, section.span),
                        ctx,
                        section.span,
                        True,
                    )
            else:
                self.report(Level.WARNING, "W101", f"unknown section {section.title!r} ignored", section.span)
        documented = {p.wire_name for p in path_params}
        for placeholder in dict.fromkeys(re.findall(r"\{(\w+)\}", doc.path)):
            if placeholder in documented:
                continue
            self.report(
                Level.WARNING,
                "W121",
                f"path parameter {placeholder!r} is not documented; it is taken as a required string",
                doc.span,
            )
            f = _argument(ir.Field(placeholder, safe_identifier(placeholder), _STRING, True, False, "", doc.span))
            arguments.append(f)
            path_params.append(ir.Param(f.wire_name, f.name, f.type, True, "", doc.span))
        first: dict[str, ir.Field] = {}
        for f in arguments:
            if f.name in first:
                at = first[f.name].span
                self.error(
                    "E118",
                    f"parameter {f.wire_name!r} is listed twice for this endpoint (first at {at.file}:{at.line}:{at.col})",
                    f.span,
                )
            first.setdefault(f.name, f)
        examples = []
        for ex in doc.examples:
            if ex.response is None:
                continue
            try:
                json.loads(ex.response.text)
            except json.JSONDecodeError as exc:
                self.error(
                    "E105",
                    f"the example response is not valid JSON: {exc.msg}",
                    ex.response.place(exc.lineno, exc.colno),
                )
                continue
            except RecursionError:  # the json module recurses once per nested array or object
                self.error("E105", "the example response nests too deeply to read", ex.response.span)
                continue
            examples.append(ir.Example(ex.request.text if ex.request else "", ex.response.text, ex.response.span))
        self.endpoints.append(
            ir.Endpoint(
                res,
                safe_identifier(snake(method)),
                doc.http_method.upper(),
                doc.path,
                doc.title,
                doc.description,
                tuple(path_params),
                tuple(query_params),
                body,
                returns,
                tuple(examples),
                doc.span,
                paginated,
                stream_event,
            )
        )

    def returns(self, section: SectionDoc, ctx: _Ctx) -> ir.TypeNode | None:
        if len(section.entries) != 1:
            self.error("E106", f"`Returns` should list one type, found {len(section.entries)}", section.span)
            return None
        entry = section.entries[0]
        s = self.sig(entry)
        match s:
            case BareSig(ObjectExpr(title=str(title)) as obj):
                return self.named_type(title, entry.children, ctx, entry.span, obj, entry.description)
            case AliasSig():
                return self.alias_root(s, entry, ctx)
            case BareSig(expr):
                return self.type_of(expr, entry.children, ctx, entry.span)
            case _:
                return None

    def domain(self, page: PageDoc, resource: str) -> None:
        """``## Domain Types``: each section names one type of the page's resource."""
        for section in page.domain:
            named = pascal(safe_identifier(snake(section.title))) or "DomainType"
            where = ("types", resource, module_name(named))
            ctx = _Ctx(where, ir.Side.RESPONSE, named, True, (page.file, f"domain/{section.title}"), resource)
            found = self.returns(section, ctx)
            if found is not None:
                self.domain_roots.append(found)

    # -- finishing ---------------------------------------------------------------------------

    def finish(self, sources: tuple[str, ...]) -> ir.Api:
        for span, message in passes.settle_readings(self.modules, self.readings):
            self.report(Level.WARNING, "W202", message, span)
        for span, message in passes.inherit(self.modules):
            self.report(Level.WARNING, "W203", message, span)
        passes.split_query(self.endpoints, self.mixed, self.modules)
        defs: dict[ir.Ref, ir.Definition] = {}
        for mod in self.modules.values():
            for d in mod.defs.values():
                defs[ir.Ref(mod.path, d.name)] = d
        for mod in self.modules.values():
            for name, d in list(mod.defs.items()):
                if isinstance(d, ir.UnionDef):
                    mod.defs[name] = graph.with_discriminator(d, defs)
        for ref in graph.cycles_without_object(defs):
            self.error(
                "E119",
                f"{ref.name} is defined in terms of itself with no object in between; "
                "a recursive type needs one (`children: array of Node`)",
                defs[ref].span,
            )
        missing: set[ir.Ref] = set()
        for d in defs.values():
            places = [(f.type, f.span) for f in d.fields] if isinstance(d, ir.ObjectDef) else [(None, d.span)]
            for t, span in places:
                for target in graph.refs_of(d) if t is None else graph.refs_in(t):
                    if target not in defs and target not in missing:
                        missing.add(target)
                        self.report(
                            Level.WARNING,
                            "W120",
                            f"{target.name} is referenced but defined nowhere in the "
                            "docs; its values are kept as plain JSON",
                            span,
                        )
        if missing:
            for mod in self.modules.values():
                mod.defs = {k: graph.without_refs(d, missing) for k, d in mod.defs.items()}
        # The same operation documented on several pages: the page read first (highest priority) wins.
        unique: dict[tuple[tuple[str, ...], str], ir.Endpoint] = {}
        for e in self.endpoints:
            kept = unique.setdefault((e.resource, e.method_name), e)
            if kept is not e:  # its examples still document the same operation
                unique[(e.resource, e.method_name)] = replace(kept, examples=kept.examples + e.examples)
        endpoints = tuple(unique[k] for k in sorted(unique))
        # Keep what the endpoints and the domain types reach: a definition a page lost to another
        # page's (a W301 conflict) leaves its nested types behind unused.
        starts = [t for e in endpoints for t in graph.endpoint_types(e)] + self.domain_roots
        reached = graph.reachable(starts, defs)
        modules = tuple(
            ir.Module(
                m.path,
                m.root,
                m.side,
                tuple(m.defs[k] for k in sorted(m.defs) if ir.Ref(m.path, k) in reached),
                m.source,
            )
            for m in sorted(self.modules.values(), key=lambda m: m.path)
            if any(ir.Ref(m.path, k) in reached for k in m.defs)
        )
        return ir.Api(self.package, modules, endpoints, sources, entries_read(self.read_entries, modules))


def _item_ctx(ctx: _Ctx) -> _Ctx:
    """Array items take the singular of the field's name."""
    return replace(ctx, name=singular(ctx.name))


def _placeholder(s: Signature | None) -> Expr:
    return s.type if isinstance(s, BareSig | AliasSig) else PrimitiveExpr("unknown")


def link(
    package: str, pages: Sequence[PageDoc], dialects: dict[str, Dialect], texts: dict[str, str]
) -> tuple[ir.Api, list[Diagnostic]]:
    """Build one type graph from ``pages``; ``texts`` gives each file's text for diagnostics.

    Types that two pages describe differently keep the description of the page of higher priority;
    each such difference is a W301 warning naming both places (the consistency report).
    """
    linker = _Linker(package, dialects)
    linker.lines = {f: t.split("\n") for f, t in texts.items()}  # the reader's lines, not splitlines()'s
    ordered = sorted(pages, key=lambda p: (dialects[p.flavour].priority, p.file))
    for page in ordered:
        linker.flavour = page.flavour
        resource = _page_resource(page)
        for section in page.domain:
            for entry in section.entries:
                s = linker.sig(entry)
                name = _declared_name(s)
                if name and resource:
                    linker.home.setdefault(name, resource)
        if dialects[page.flavour].local_names:
            continue
        for endpoint in page.endpoints:
            for section in endpoint.sections:
                linker.collect_names(section.entries)
        linker.collect_names([e for sec in page.domain for e in sec.entries])
    for page in ordered:
        linker.flavour = page.flavour
        linker.read_entries.extend(page.entries_read)
        for endpoint in page.endpoints:
            linker.endpoint(page, endpoint)
        resource = _page_resource(page)
        if resource:
            linker.domain(page, resource)
    api = linker.finish(tuple(sorted(p.file for p in pages)))
    for name, kept, other, difference in linker.conflicts:
        linker.report(Level.WARNING, "W301", f"{name} differs from its definition at {kept}: {difference}", other)
    for name, kept, other, changes in linker.refinements:
        message = f"{name} says more than its definition at {kept}; merged: {changes}"
        linker.report(Level.WARNING, "W302", message, other)
    return api, linker.diagnostics


def _page_resource(page: PageDoc) -> str:
    for endpoint in page.endpoints:
        named = endpoint_names(endpoint)
        if named is not None:
            return safe_identifier(snake(named[0][0]))
    return ""


def _declared_name(s: Signature | None) -> str:
    match s:
        case BareSig(ObjectExpr(title=str(title))):
            return title
        case AliasSig(name, _) | BareSig(NamedExpr(name)):
            return name
        case _:
            return ""
