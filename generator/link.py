"""Link doc entries into the type graph: resolve references, name every type, check the docs."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from generator import ir
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
)
from generator.naming import module_name, pascal, safe_identifier, singular, snake
from generator.read.doc import EndpointDoc, Entry, PageDoc, SectionDoc

__all__ = ["SignatureParser", "link"]

SignatureParser = Callable[[str], Signature]
"""Parses one entry's code span; raises an exception with an ``offset`` attribute on bad input."""

_PRIMITIVES = {
    "string": ir.Primitive.STR,
    "number": ir.Primitive.FLOAT,
    "integer": ir.Primitive.INT,
    "boolean": ir.Primitive.BOOL,
    "unknown": ir.Primitive.ANY,
    "null": ir.Primitive.ANY,
}

_VERBS = {("post", False): "create", ("get", False): "list", ("get", True): "retrieve"}
_VERBS |= {("post", True): "update", ("delete", True): "delete", ("patch", True): "update"}


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


@dataclass
class _ModuleBuilder:
    path: tuple[str, ...]
    root: str
    """Name of the module's root definition (set when the root is defined)."""
    side: ir.Side
    source: str
    defs: dict[str, ir.Definition] = field(default_factory=dict)


def _strip(d: ir.Definition) -> object:
    """A definition without its prose and spans, to compare shapes."""
    match d:
        case ir.ObjectDef():
            return ("object", tuple((f.wire_name, f.type, f.required, f.nullable) for f in d.fields))
        case ir.UnionDef():
            return ("union", d.members)
        case ir.AliasDef():
            return ("alias", d.type)


class _Linker:
    def __init__(self, package: str, parsers: dict[str, SignatureParser]) -> None:
        self.package = package
        self.parsers = parsers
        self.diagnostics: list[Diagnostic] = []
        self.modules: dict[tuple[str, ...], _ModuleBuilder] = {}
        self.expanded: dict[tuple[tuple[str, str], str | None, tuple[str, ...], int], ir.Ref] = {}
        self.named: set[str] = set()
        """Every name a type expression uses as a reference: these are root types."""
        self.sigs: dict[int, Signature | None] = {}
        self.lines: dict[str, list[str]] = {}
        self.endpoints: list[ir.Endpoint] = []
        self.flavour = ""

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
                self.sigs[key] = self.parsers[self.flavour](entry.signature)
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

    # -- definitions -------------------------------------------------------------------------

    def root_ref(self, name: str, ctx: _Ctx) -> ir.Ref:
        py = pascal(name) + ("Param" if ctx.side is ir.Side.REQUEST else "")
        return ir.Ref(("types", ctx.resource, module_name(py)), py)

    def define(self, ref: ir.Ref, d: ir.Definition, ctx: _Ctx, span: Span, root: bool) -> ir.Ref:
        mod = self.modules.get(ref.module)
        if mod is None:
            mod = self.modules[ref.module] = _ModuleBuilder(ref.module, ref.name, ctx.side, span.file)
        if root:
            mod.root = d.name
        existing = mod.defs.get(d.name)
        if existing is not None and _strip(existing) != _strip(d):
            first = existing.span
            what = "root type" if root else f"type in module {'.'.join(ref.module)}"
            self.error("E201", f"{what} {d.name!r} is defined twice with different shapes (first at {first})", span)
        elif existing is None:
            mod.defs[d.name] = d
        return ref

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
        slots = _slots(expr)
        named_at: dict[int, str] = {}
        if len(slots) != len(children):
            merged = _slots(expr, absorb_more=True)
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
            member_ctx = ctx
            if isinstance(s, BareSig) and isinstance(s.type, ObjectExpr):
                has_object = True
                title = s.type.title
                root_name = (
                    named_at.get(i)
                    if i in named_at
                    else (title if title is not None and title in self.named and i >= len(expr.members) else None)
                )
                if root_name is not None and title == root_name:
                    member_types.append(
                        self.named_type(root_name, child.children, ctx, child.span, s.type, child.description)
                    )
                    continue
                local = title or f"UnionMember{i}"
                member_ctx = _Ctx(
                    ctx.module, ctx.side, local if ctx.is_root else union_name + local, False, ctx.section, ctx.resource
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
    ) -> ir.TypeNode:
        ref = self.root_ref(name, ctx)
        if not children:
            return ref
        sub = _Ctx(ref.module, ctx.side, ref.name, True, ctx.section, ctx.resource)
        sigs = [s for s in (self.sig(c) for c in children) if s is not None]
        if all(isinstance(s, FieldSig) for s in sigs):
            obj = hint or ObjectExpr(name, (), -1)
            self.object_type(obj, children, sub, span, description)
            return ref
        if all(isinstance(s, BareSig) and isinstance(s.type, LiteralExpr) for s in sigs):
            values = tuple(s.type.value for s in sigs if isinstance(s, BareSig) and isinstance(s.type, LiteralExpr))
            self.define(ref, ir.AliasDef(ref.name, ir.LiteralType(values), description, span), sub, span, True)
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
            self.define(ref, ir.AliasDef(ref.name, inner, description, span), sub, span, True)
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
        if not children and (expr.hint or expr.more):
            found = self.expanded.get(key)
            if found is None:
                self.error(
                    "E115",
                    f"`{expr.title or 'object'}` is shown collapsed but was not expanded earlier in" " this section",
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
            sub = _Ctx(ctx.module, ctx.side, self.nested_name(ctx, s.name), False, ctx.section, ctx.resource)
            t = self.type_of(s.type, entry.children, sub, entry.span)
            out.append(ir.Field(s.name, py, t, not s.optional, s.nullable, entry.description, entry.span))
        return out

    # -- endpoints ---------------------------------------------------------------------------

    def endpoint(self, page: PageDoc, doc: EndpointDoc) -> None:
        segments = [s for s in doc.path.strip("/").split("/") if s]
        literal = [s for s in segments if not s.startswith("{")]
        ends_with_param = bool(segments) and segments[-1].startswith("{")
        if not literal:
            self.error("E104", f"cannot derive a resource from path {doc.path!r}", doc.span)
            return
        title_verb = doc.title.split()[0].lower() if doc.title.split() else ""
        if not ends_with_param and len(literal) > 1 and title_verb == literal[-1].lower():
            resource, method = literal[:-1], literal[-1]
        else:
            resource, method = literal, _VERBS.get((doc.http_method, ends_with_param), doc.http_method)
        res = tuple(safe_identifier(snake(r)) for r in resource)
        params_name = pascal(singular(pascal(res[-1]))) + pascal(method) + "Params"
        params_module = ("types", res[0], module_name(params_name))
        body: ir.Ref | None = None
        returns: ir.TypeNode | None = None
        path_params: list[ir.Param] = []
        query_params: list[ir.Param] = []
        for section in doc.sections:
            sid = (page.file, f"{doc.title}/{section.title}")
            title = section.title.lower()
            if title.startswith("returns"):
                returns = self.returns(section, _Ctx((), ir.Side.RESPONSE, "", True, sid, res[0]))
                continue
            ctx = _Ctx(params_module, ir.Side.REQUEST, params_name, True, sid, res[0])
            if title.startswith("body"):
                fields = self.fields(section.entries, ctx)
                body = ir.Ref(params_module, params_name)
                self.define(
                    body,
                    ir.ObjectDef(params_name, tuple(fields), doc.description, section.span),
                    ctx,
                    section.span,
                    True,
                )
            elif title.startswith(("path", "query")):
                params = [
                    ir.Param(f.wire_name, f.name, f.type, f.required or title.startswith("path"), f.description, f.span)
                    for f in self.fields(section.entries, ctx)
                ]
                (path_params if title.startswith("path") else query_params).extend(params)
            else:
                self.report(Level.WARNING, "W101", f"unknown section {section.title!r} ignored", section.span)
        examples = []
        for ex in doc.examples:
            if ex.response is None:
                continue
            try:
                json.loads(ex.response.text)
            except json.JSONDecodeError as exc:
                at = ex.response.span
                self.error(
                    "E105",
                    f"the example response is not valid JSON: {exc.msg}",
                    Span(at.file, at.line + exc.lineno - 1, exc.colno),
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
                return self.named_type(title, entry.children, ctx, entry.span, obj)
            case BareSig(expr) | AliasSig(_, expr):
                return self.type_of(expr, entry.children, ctx, entry.span)
            case _:
                return None

    # -- finishing ---------------------------------------------------------------------------

    def finish(self, sources: tuple[str, ...]) -> ir.Api:
        defs: dict[ir.Ref, ir.Definition] = {}
        for mod in self.modules.values():
            for d in mod.defs.values():
                defs[ir.Ref(mod.path, d.name)] = d
        for mod in self.modules.values():
            for name, d in list(mod.defs.items()):
                if isinstance(d, ir.UnionDef):
                    mod.defs[name] = _with_discriminator(d, defs)
        for d in defs.values():
            places = [(f.type, f.span) for f in d.fields] if isinstance(d, ir.ObjectDef) else [(None, d.span)]
            for t, span in places:
                for target in _refs_of(d) if t is None else _refs_in(t):
                    if target not in defs:
                        self.error("E120", f"{target.name} is referenced but never defined", span)
        modules = tuple(
            ir.Module(m.path, m.root, m.side, tuple(m.defs[k] for k in sorted(m.defs)), m.source)
            for m in sorted(self.modules.values(), key=lambda m: m.path)
        )
        endpoints = tuple(sorted(self.endpoints, key=lambda e: (e.resource, e.method_name)))
        return ir.Api(self.package, modules, endpoints, sources)


def _item_ctx(ctx: _Ctx) -> _Ctx:
    """Array items take the singular of the field's name."""
    return _Ctx(ctx.module, ctx.side, singular(ctx.name), ctx.is_root, ctx.section, ctx.resource)


def _placeholder(s: Signature | None) -> Expr:
    return s.type if isinstance(s, BareSig | AliasSig) else PrimitiveExpr("unknown")


def _slots(expr: UnionExpr, absorb_more: bool = False) -> list[Expr | None]:
    """One slot per expected child: a literal run is one child; hidden members are ``None``."""
    slots: list[Expr | None] = []
    members: list[Expr | None] = list(expr.members)
    if expr.more:
        members[expr.more_at : expr.more_at] = [None] * expr.more
    prev_literal = False
    for i, m in enumerate(members):
        is_literal = isinstance(m, LiteralExpr)
        if m is None and absorb_more:
            # Hidden members next to a literal run are more literals of that run.
            neighbours = [members[j] for j in (i - 1, i + 1) if 0 <= j < len(members)]
            is_literal = any(isinstance(n, LiteralExpr) or n is None and prev_literal for n in neighbours[:1]) or (
                not prev_literal and any(isinstance(n, LiteralExpr) for n in neighbours)
            )
        if is_literal and prev_literal:
            continue
        slots.append(m)
        prev_literal = is_literal
    return slots


def _refs_in(t: ir.TypeNode) -> list[ir.Ref]:
    match t:
        case ir.Ref():
            return [t]
        case ir.ArrayType(item):
            return _refs_in(item)
        case ir.MapType(value):
            return _refs_in(value)
        case ir.UnionType(members):
            return [r for m in members for r in _refs_in(m)]
        case _:
            return []


def _refs_of(d: ir.Definition) -> list[ir.Ref]:
    match d:
        case ir.ObjectDef():
            return [r for f in d.fields for r in _refs_in(f.type)]
        case ir.UnionDef():
            return [r for m in d.members for r in _refs_in(m)]
        case ir.AliasDef():
            return _refs_in(d.type)


def _tags(member: ir.TypeNode, defs: dict[ir.Ref, ir.Definition], wire: str) -> list[str | int | bool] | None:
    """The discriminator values a member accepts, or None when it cannot be told by ``wire``."""
    if not isinstance(member, ir.Ref):
        return []  # not an object: told apart by JSON kind, not by tag
    d = defs.get(member)
    match d:
        case ir.ObjectDef():
            for f in d.fields:
                if f.wire_name == wire and isinstance(f.type, ir.LiteralType) and f.required:
                    return list(f.type.values)
            return None
        case ir.UnionDef(discriminator=disc) if disc is not None and disc.wire_name == wire:
            return [tag for tag, _ in disc.tags]
        case ir.AliasDef(type=ir.Ref() as inner):
            return _tags(inner, defs, wire)
        case _:
            return None


def _with_discriminator(d: ir.UnionDef, defs: dict[ir.Ref, ir.Definition]) -> ir.UnionDef:
    objects = [m for m in d.members if isinstance(m, ir.Ref)]
    if len(objects) < 2:
        return d
    first = defs.get(objects[0])
    candidates = [f.wire_name for f in first.fields] if isinstance(first, ir.ObjectDef) else ["type"]
    # `type` is the API's usual discriminator; try it first.
    for wire in sorted(candidates, key=lambda w: w != "type"):
        tags: list[tuple[str | int | bool, ir.Ref]] = []
        ok = True
        for m in objects:
            values = _tags(m, defs, wire)
            if not values:
                ok = False
                break
            tags.extend((v, m) for v in values)
        if ok and len({t for t, _ in tags}) == len(tags):
            return ir.UnionDef(d.name, d.members, ir.Discriminator(wire, tuple(tags)), d.description, d.span)
    return d


def link(
    package: str, pages: Sequence[PageDoc], parsers: dict[str, SignatureParser], texts: dict[str, str]
) -> tuple[ir.Api, list[Diagnostic]]:
    """Build the type graph of ``pages``; ``texts`` gives each file's text for diagnostics."""
    linker = _Linker(package, parsers)
    linker.lines = {f: t.split("\n") for f, t in texts.items()}  # the reader's lines, not splitlines()'s
    for page in pages:
        linker.flavour = page.flavour
        for endpoint in page.endpoints:
            for section in endpoint.sections:
                linker.collect_names(section.entries)
    for page in pages:
        linker.flavour = page.flavour
        for endpoint in page.endpoints:
            linker.endpoint(page, endpoint)
    api = linker.finish(tuple(p.file for p in pages))
    return api, linker.diagnostics
