"""Rebuild a scraped page's entry trees: nesting from class lines and known types, names from the docs."""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from typing import Any

from generator import ir
from generator.diagnostics import Diagnostic, Level, Span
from generator.flavours import java
from generator.flavours.expr import ArrayExpr, Expr, MapExpr, NamedExpr, PrimitiveExpr, UnionExpr
from generator.naming import pascal, singular
from generator.read.doc import Entry, UnnamedDoc
from generator.read.known import Known, Shape
from generator.read.spell import (
    compatible,
    example_expr,
    expr_of,
    is_known_root,
    is_list,
    keep_shape,
    literal_values,
    name_in,
    object_example,
    required_run,
    spell,
    strip_null,
    with_inner,
)
from generator.read.text import Item, nows

__all__ = ["Frame", "Recovery"]


@dataclass
class Slot:
    """One entry of an object: a field, named or not."""

    item: Item
    wire: str
    """The JSON key; empty while unnamed."""
    how: str
    """``page`` (the page names it), ``description`` (the other pages give the description one
    name), ``example`` (the JSON example lists the keys in the page's order) or empty."""
    expr: Expr | None
    """The type as far as known: from the page, the other pages or the example."""
    nullable: bool = False
    child: Frame | None = None


@dataclass
class Frame:
    """An object or union being rebuilt from consecutive items."""

    kind: str
    """``object``, ``union``, ``enum`` (a set of strings: it takes no entries) or ``pending`` (a field's type
    the page has not shown yet)."""
    name: str
    """The Python name it gets (path-qualified, as the linker names nested types)."""
    item: Item
    shape: Shape | None
    """What the other pages (or an earlier copy on this page) tell about it."""
    example: dict[str, Any] | None = None
    root: bool = False
    slots: list[Slot] = field(default_factory=list)
    members: list[Frame] = field(default_factory=list)
    used: set[str] = field(default_factory=set)
    member_of: Frame | None = None
    copy: bool = False
    """The page already expanded this type earlier: its entries only confirm names."""

    @property
    def label(self) -> str:
        if self.shape is not None and self.shape.ref is not None:
            return f"{'.'.join(self.shape.ref.module)}:{self.shape.ref.name}"
        return self.name or f"(the entry at {self.item.span})"

    def free_keys(self) -> list[str]:
        return [k for k in (self.example or {}) if k not in self.used]

    def in_order(self, key: str) -> bool:
        """The example lists keys in the page's order: a key cannot come before one already taken."""
        keys = list(self.example or {})
        last = max((keys.index(k) for k in self.used if k in keys), default=-1)
        return key in keys and keys.index(key) > last

    def next_in_order(self, key: str) -> bool:
        """``key`` comes next in the example's order once the unnamed entries the frame took since its last
        named one are counted as the keys in between: otherwise entries of those keys went elsewhere, and
        the entry may well be another type's field of the same name."""
        keys = list(self.example or {})
        last = max((keys.index(k) for k in self.used if k in keys), default=-1)
        if key not in keys or keys.index(key) <= last:
            return False
        between = [k for k in keys[last + 1 : keys.index(key)] if k not in self.used]
        unnamed = 0
        for s in reversed(self.slots):
            if s.wire in keys:
                break
            unnamed += not s.wire
        return len(between) <= unnamed


class Recovery:
    """Item list → entry trees, recording how every field entry was named (or that it was not)."""

    def __init__(self, known: Known, flavour_java: bool) -> None:
        self.known = known
        self.java = flavour_java
        self.records: list[UnnamedDoc] = []
        self.diagnostics: list[Diagnostic] = []
        self.page_shapes: dict[str, Shape] = {}
        """Types this page has built, by name: a later copy of the type is matched against them."""
        self.emitted: set[str] = set()
        self.extended: set[tuple[ir.Ref, str]] = set()
        """What W303 reported already."""
        self.maybe: list[tuple[Frame, str, Item]] = []
        """What the page seems to add to a type, until an entry certainly placed tells (see ``decide``)."""
        self.shadow: list[Frame] = []
        """Frames a guessed owner closed (see ``confirm``)."""
        self.tentative: list[tuple[Frame, Slot]] = []
        """The entries placed by that guess, with their owners."""
        self.base = -1
        """Where the guessed owner is on the stack."""

    # -- reading ---------------------------------------------------------------------------

    def parse(self, type_text: str) -> Expr | None:
        try:
            if self.java:
                return java.parse_type(type_text)
            from generator.flavours.python import parse_signature

            sig = parse_signature(type_text)
            return sig.type
        except Exception:  # noqa: BLE001 - a type the parser cannot read stays unknown
            return None

    def wire_of(self, item: Item) -> str:
        return java.camel_to_wire(item.name) if self.java else item.name

    def build(self, root: Frame, items: list[Item]) -> Frame:
        stack = [root]
        self.confirm()
        self.maybe = []
        for item in items:
            if item.kind == "bare" and item.type.rstrip(";") == "JsonValue":
                continue  # the Java page's marker of a constant field; the constant itself is gone
            if item.kind in ("class", "union", "enum") or (item.kind == "bare" and _is_plain_name(item.type)):
                self.place_class(stack, item)
            elif item.kind == "bare":
                self.place_member_type(stack, item)
            else:
                self.place_field(stack, item)
        self.confirm()
        return root

    # A field entry that no open frame certainly owns closes frames only tentatively: the page marks no
    # frame's end, so the guess may be wrong. The frames it closed stay in ``shadow`` until an entry that
    # certainly belongs somewhere decides: at or below the guessed owner, the guess stands; in one of the
    # closed frames, they reopen and the guessed entries move there. One wrong guess then costs the
    # entries up to the next certain one, not every entry after it.

    def confirm(self) -> None:
        self.shadow, self.tentative, self.base = [], [], -1

    def chain(self, stack: list[Frame]) -> list[Frame]:
        """The open frames, innermost first: the stack above the guessed owner, the frames the guess
        closed, then the guessed owner and the frames below it."""
        if not self.shadow:
            return stack[::-1]
        b = self.base
        return stack[:b:-1] + self.shadow[::-1] + stack[b::-1]

    def settle(self, stack: list[Frame], frame: Frame, home: Frame | None = None) -> None:
        """Make ``frame`` the innermost open frame: reopen it if a guess closed it (the guessed entries
        move to ``home``), else close the frames above it."""
        if frame in self.shadow:
            target = home or frame
            for owner, slot in self.tentative:
                if slot in owner.slots:
                    owner.slots.remove(slot)
                    owner.used.discard(slot.wire)
                    named = slot.item.kind == "field"
                    wire = self.wire_of(slot.item) if named and self.wire_of(slot.item) not in target.used else ""
                    moved = Slot(slot.item, wire, "page" if wire else "", slot.expr, slot.nullable, slot.child)
                    target.slots.append(moved)
                    if wire:
                        target.used.add(wire)
            stack[:] = stack[: self.base + 1] + self.shadow[: self.shadow.index(frame) + 1]
            self.confirm()
            return
        depth = max(i for i, f in enumerate(stack) if f is frame)
        if depth <= self.base:
            self.confirm()
        del stack[depth + 1 :]

    def guess(self, stack: list[Frame], depth: int) -> None:
        """A guessed owner at ``depth`` closes the frames above it, tentatively."""
        if depth >= len(stack) - 1:
            return
        if not self.shadow:
            self.shadow, self.base = stack[depth + 1 :], depth
        elif depth <= self.base:
            self.shadow, self.base = stack[depth + 1 : self.base + 1] + self.shadow, depth
        del stack[depth + 1 :]

    def place_class(self, stack: list[Frame], item: Item) -> None:
        chain = self.chain(stack)
        f = self.accepting_union(stack, chain, item)
        if f is None:
            self.report(
                "W401", f"class {item.name or item.type} outside any union; read as part of the entry above", item
            )
            return
        member, sure = self.member_match(f, item)
        name = item.name or item.type
        self.decide(f, sure == 2)
        if member is None and f.shape is not None and f.shape.members is not None:
            self.maybe.append((f, f"a variant `{name}`", item))
        qualified = name if f.root or name.startswith(f.name) else f.name + name
        kind = {"union": "union", "enum": "enum"}.get(item.kind, "object")
        if member is None and f.shape is None:
            member = self.known.named(name)
            if member is not None and (member.members is None) != (kind == "object"):
                member = None  # the same name for a type of another kind
        if item.kind == "bare" and member is None:
            # A variant the page names on a line of its own and nobody defines: the page prints a class
            # line for a variant with fields, so this one is a set of strings (`ResponsesOnlyModel`).
            kind = "enum"
        frame = Frame(kind, name if f.root else qualified, item, member, member_of=f, root=f.root)
        if member is None and frame.name in self.page_shapes:
            frame.shape, frame.copy = self.page_shapes[frame.name], True
        # Entries guessed wrong belong to the variant the class line closes, the union's last member.
        last = f.members[-1] if f.members and f.members[-1].kind == "object" else None
        self.settle(stack, f, last)
        f.members.append(frame)
        stack.append(frame)

    def accepting_union(self, stack: list[Frame], chain: list[Frame], item: Item) -> Frame | None:
        """Where a class line goes: the innermost open union that certainly lists it; else a field header
        right above it (a class line right after a header makes the field's type a union of classes,
        whatever another page says: the page prints ``class`` lines for variants only); else the
        innermost union that may list it or whose variants nobody knows; else the innermost union (the
        other pages may know fewer variants)."""
        unions = [f for f in chain if f.kind == "union"]
        for f in unions:
            if self.member_match(f, item)[1] == 2:
                return f
        f = stack[-1]
        if (
            not f.slots
            and not f.members
            and not f.root
            and (f.kind == "pending" or f.kind == "object" and f.item.doubled)
        ):
            f.kind = "union"
            f.shape = f.shape if f.shape is not None and f.shape.members is not None else None
            return f
        for f in unions:
            if f.shape is None or f.shape.members is None or self.member_match(f, item)[1] == 1:
                return f
        return unions[0] if unions else None

    def member_match(self, union: Frame, item: Item) -> tuple[Shape | None, int]:
        """The variant of ``union`` that ``item``'s class line opens, and how sure: 2 when the names agree
        (``Param`` dropped) or the description and the end of the name do, 1 when only one of those."""
        if union.shape is None or union.shape.members is None:
            return None, 0
        members = union.shape.members
        name = _base(item.name or item.type)
        desc = nows(item.description)
        exact = [m for m in members if _base(m.name) == name]
        if len(exact) == 1:
            return exact[0], 2
        by_desc = [m for m in members if desc and m.description == desc]
        # Nested variants are named by their path (`ActionClick` for `Click`).
        by_name = [m for m in members if _base(m.name).endswith(name)]
        both = [m for m in by_name if m in by_desc]
        if len(both) == 1:
            return both[0], 2
        if len(by_desc) == 1:
            return by_desc[0], 1
        if len(by_name) == 1:
            return by_name[0], 1
        return None, 0

    def place_member_type(self, stack: list[Frame], item: Item) -> None:
        """``List<ResponseInputItem>``: a union member that is itself a list of a union; its classes follow."""
        top = stack[-1]
        if top.kind == "pending":
            top.kind = "union"
        expr = self.parse(item.type)
        inner = expr.item if isinstance(expr, ArrayExpr) else expr
        if isinstance(inner, NamedExpr) and top.kind == "union":
            ref = self.known.any_side.get(inner.name)
            shape = self.known.shape_of(ref) if ref is not None else None
            frame = Frame("union", inner.name, item, shape, member_of=top)
            top.members.append(frame)
            stack.append(frame)

    def fits(self, f: Frame, item: Item) -> str | None:
        """The wire name ``item`` takes in ``f`` if ``f`` certainly owns it, else None."""
        if f.kind != "object":
            return None
        if item.kind == "field":
            wire = self.wire_of(item)
            if wire in f.used:
                return None
            if f.shape is not None and f.shape.fields and wire in f.shape.fields:
                return wire
            if f.example is not None and f.next_in_order(wire) and compatible(self.parse(item.type), f.example[wire]):
                return wire
            return None
        desc = nows(item.description)
        if f.shape is not None and desc:
            hits = [w for w, (d, _) in f.shape.fields.items() if d == desc and w not in f.used]
            # Every page that gives this description must give it the same name: a collapsed page whose
            # nesting went wrong otherwise lends a field of one type to another.
            everywhere = {w for w, _ in self.known.by_description.get(desc, ())}
            described = (f.shape.description, nows(f.item.description))
            if len(hits) == 1 and everywhere <= {hits[0]} and not self.known.elsewhere(desc, f.shape.name, described):
                return hits[0]
        return None

    def place_field(self, stack: list[Frame], item: Item) -> None:
        wire = None
        for f in self.chain(stack):
            wire = self.fits(f, item)
            if wire is not None:
                self.decide(f, True)
                self.settle(stack, f)
                break
        guessed = wire is None
        innermost = True
        if guessed:
            # Nobody certainly owns it: the innermost object that still expects entries takes it.
            at = self.fallback(stack, item)
            innermost = at == len(stack) - 1
            self.guess(stack, at)
        owner = stack[-1]
        if owner.kind == "pending":
            owner.kind = "object"
        slot = self.slot(owner, item, wire)
        owner.slots.append(slot)
        if item.kind == "field" and owner.shape is not None:
            known = owner.shape.fields.get(slot.wire)
            elsewhere = any(
                f.example and slot.wire in f.example or f.shape and slot.wire in f.shape.fields
                for f in self.chain(stack)[1:]
            )
            if known is None and innermost and not elsewhere:
                self.maybe.append((owner, f"a field `{slot.wire}`", item))
            elif known is not None:
                extra = [v for v in literal_values(slot.expr) if v not in literal_values(known[1])]
                if extra and literal_values(known[1]):
                    values = ", ".join(json.dumps(v) for v in extra)
                    self.extends(owner, f"`{slot.wire}` the literal values {values}", item)
        if guessed and self.shadow and len(stack) - 1 == self.base:
            self.tentative.append((owner, slot))
        if slot.child is not None:
            stack.append(slot.child)

    def fallback(self, stack: list[Frame], item: Item) -> int:
        wire = self.wire_of(item) if item.kind == "field" else ""
        for depth in range(len(stack) - 1, -1, -1):
            f = stack[depth]
            if f.kind == "pending" and not f.item.name and not f.slots and f.item.kind == "text":
                return depth  # an unnamed header printed twice: the entries after it are its own
            if f.kind == "pending" and f.item.kind == "field" and not f.item.description and item.kind == "field":
                return depth  # a field the page lists with no description: only its named children show
            if f.kind != "object" or (wire and wire in f.used):
                continue
            if f.example is not None and (not f.free_keys() or (wire and wire not in f.example)):
                continue
            # Another page defines this type; an entry it does not list is more likely a field of
            # an object below whose example still has keys to give out.
            if (
                f.shape is not None
                and f.shape.ref is not None
                and any(g.example is not None and g.free_keys() for g in stack[:depth])
            ):
                continue
            return depth
        # Nobody expects it: the innermost object keeps it, though not as a key its example lacks.
        for depth in range(len(stack) - 1, -1, -1):
            if stack[depth].kind in ("object", "pending") and stack[depth].example is None:
                return depth
        return len(stack) - 1

    def slot(self, owner: Frame, item: Item, wire: str | None) -> Slot:
        expr = self.parse(item.type) if item.type else None
        how = ""
        if item.kind == "field":
            wire = wire or self.wire_of(item)
            how = "page"
        elif wire is not None:
            how = "description" if owner.shape is not None else "example"
        known_type: ir.TypeNode | None = None
        if wire is not None and owner.shape is not None:
            known_type = owner.shape.fields.get(wire, ("", None))[1]
        if wire is None and item.kind == "text" and owner.kind == "object" and owner.shape is None and owner.root:
            found = self.known.unique_name(item.description)
            if found is not None and (owner.example is None or owner.in_order(found[0])) and found[0] not in owner.used:
                wire, known_type = found
                how = "description"
        slot = Slot(item, wire or "", how, expr)
        if wire:
            owner.used.add(wire)
        slot.child = self.child_frame(owner, slot, known_type)
        if known_type is not None and slot.expr is None:
            slot.expr = expr_of(known_type, self.known)
        return slot

    def child_frame(self, owner: Frame, slot: Slot, known_type: ir.TypeNode | None) -> Frame | None:
        """The frame a field's own entries go to: its object or union type, when it has one."""
        wire = slot.wire
        base = pascal(wire) if wire else ""
        name = (base if owner.root else owner.name + base) if base else ""
        if slot.expr is not None and is_list(slot.expr):
            name = singular(name)
        shape = self.known.shape(known_type) if known_type is not None else None
        if shape is None and owner.shape is not None and wire in owner.shape.children:
            shape = owner.shape.children[wire]
        example = owner.example.get(wire) if owner.example is not None and wire else None
        while isinstance(example, list) and example:
            example = example[0]
        if shape is not None:
            return Frame("object" if shape.members is None else "union", name or shape.name, slot.item, shape)
        if known_type is not None:
            return None  # the other pages give it a type with no fields of its own
        named = name_in(slot.expr)
        if named is not None and named in self.known.any_side:
            ref = self.known.any_side[named]
            found = self.known.shape_of(ref)
            if isinstance(example, dict) and found is not None and not found.required <= set(example):
                found = None  # the same name for another type: the example lacks fields it always has
            if found is not None:
                return Frame("object" if found.members is None else "union", named, slot.item, found)
        if named is not None and named in self.page_shapes:
            return Frame("object", named, slot.item, self.page_shapes[named], copy=True)
        if isinstance(example, dict) and object_example(example):
            return Frame("object", name, slot.item, None, example=example)
        if example is not None and named is None:
            return None
        bare_field = slot.item.kind == "field" and not slot.item.description and named is not None
        if (
            slot.item.kind == "field"
            and slot.item.doubled
            and named is not None
            or slot.item.kind == "text"
            and slot.item.doubled
            or bare_field
        ):
            return Frame("pending", name or named or "", slot.item, None)
        return None

    def report(self, code: str, message: str, item: Item) -> None:
        self.diagnostics.append(Diagnostic(Level.WARNING, code, message, item.span))

    def decide(self, frame: Frame, sure: bool) -> None:
        """An entry certainly placed in ``frame``: what the page seemed to add to it since the last such
        entry is certainly its own (the page lists a type's entries together); the rest is dropped."""
        for owner, what, item in self.maybe:
            if sure and owner is frame:
                self.extends(owner, what, item)
        self.maybe = []

    def extends(self, frame: Frame, what: str, item: Item) -> None:
        """W303: the page gives a type the markdown pages define something their definition lacks (once
        per type and finding: the Java page prints a type again wherever it is used)."""
        ref = frame.shape.ref if frame.shape is not None and not frame.copy else None
        d = self.known.defs.get(ref) if ref is not None else None
        if ref is None or d is None or (ref, what) in self.extended:
            return
        self.extended.add((ref, what))
        self.report("W303", f"the page gives {ref.name} {what}, which its definition at {d.span} lacks", item)

    # -- writing entries -------------------------------------------------------------------

    def remember(self, frame: Frame) -> Shape:
        """The shape this page gave ``frame`` (for later copies of the same type on the page)."""
        shape = Shape(frame.name, nows(frame.item.description))
        if frame.kind == "union":
            shape.members = [self.remember(m) for m in frame.members]
            return shape
        for s in frame.slots:
            if s.wire:
                shape.fields[s.wire] = (nows(s.item.description), None)
                if s.child is not None:
                    shape.children[s.wire] = self.remember(s.child)
        return shape

    def record(self, frame: Frame, owner_span: Span | None) -> None:
        for s in frame.slots:
            how = s.how if s.wire else "unnamed"
            self.records.append(UnnamedDoc(s.item.description, s.item.span, frame.label, owner_span, how, s.wire))
            if s.child is not None:
                self.record_child(s.child)
        for m in frame.members:
            self.record_child(m)

    def record_child(self, frame: Frame) -> None:
        emitted = frame.shape is None or frame.shape.ref is None
        self.record(frame, frame.item.span if emitted else None)

    def entries(self, frame: Frame) -> tuple[Entry, ...]:
        """The field entries of an object frame, in Python spelling (only the named ones)."""
        out: list[Entry] = []
        seen: set[str] = set()
        for s in frame.slots:
            if not s.wire or s.wire in seen or (frame.example is not None and s.wire not in frame.example):
                continue
            seen.add(s.wire)
            out.append(self.field_entry(frame, s))
        return tuple(out)

    def name_by_example(self, frame: Frame) -> None:
        """Unnamed entries between two named ones take the example's keys between theirs, when the
        counts agree: the example lists an object's keys in the order the page lists its fields. The
        frame's own keys first: a key it gives an entry brings the example of that entry's object."""
        if frame.example is not None and frame.kind == "object":
            self.name_gaps(frame)
        for s in frame.slots:
            if s.child is not None:
                self.name_by_example(s.child)
        for m in frame.members:
            self.name_by_example(m)

    def name_gaps(self, frame: Frame) -> None:
        assert frame.example is not None
        keys = list(frame.example)
        anchors = [(-1, -1)]
        for i, s in enumerate(frame.slots):
            if s.wire in keys:
                at = keys.index(s.wire)
                if at > anchors[-1][1]:
                    anchors.append((i, at))
        anchors.append((len(frame.slots), len(keys)))
        for (i0, k0), (i1, k1) in itertools.pairwise(anchors):
            gap = [s for s in frame.slots[i0 + 1 : i1] if not s.wire]
            free = [k for k in keys[k0 + 1 : k1] if k not in frame.used]
            if gap and len(gap) == len(free) and len(gap) == i1 - i0 - 1:
                for s, k in zip(gap, free):
                    s.wire, s.how = k, "example"
                    frame.used.add(k)
                    if s.child is None:
                        value = frame.example.get(k)
                        while isinstance(value, list) and value:
                            value = value[0]
                        if isinstance(value, dict) and object_example(value):
                            s.child = Frame(
                                "object",
                                pascal(k) if frame.root else frame.name + pascal(k),
                                s.item,
                                None,
                                example=value,
                            )
                    elif s.child.example is None:
                        value = frame.example.get(k)
                        s.child.example = value if isinstance(value, dict) and object_example(value) else None
                        base = pascal(k)
                        s.child.name = base if frame.root else frame.name + base

    def field_entry(self, owner: Frame, s: Slot) -> Entry:
        expr = s.expr
        example = owner.example.get(s.wire) if owner.example is not None else None
        if expr is None and s.wire in (owner.example or {}):
            expr = example_expr(example)
        # Nested types are kept only where another page (or this page, earlier) names and defines
        # them; an object the page alone shows, with most of its names lost, stays plain JSON.
        children: tuple[Entry, ...] = ()
        child = s.child
        if child is not None and child.copy:
            expr = with_inner(expr, NamedExpr(child.name))
        elif child is not None and child.shape is not None and child.shape.ref in self.known.roots.values():
            assert child.shape.ref is not None
            expr = with_inner(expr, NamedExpr(child.shape.ref.name))
        elif child is not None and expr is not None and name_in(expr) is None and not is_list(expr):
            expr = PrimitiveExpr("unknown")
        if isinstance(example, dict) and expr is not None and not isinstance(strip_null(expr), NamedExpr | MapExpr):
            expr = PrimitiveExpr("unknown")
        nullable = False
        if isinstance(expr, UnionExpr) and PrimitiveExpr("null") in expr.members:
            nullable = True
        if expr is None or name_in(expr) is not None and not children and not is_known_root(expr, self.known):
            expr = keep_shape(expr)
        text = spell(expr)
        if owner.example is not None and example is None and s.wire in owner.example and not nullable:
            text = f"Optional[{text}]"
        elif s.item.kind == "text" and owner.shape is not None and s.wire not in owner.shape.required and not nullable:
            # The page spells no type for it; the other pages say whether the type always has it.
            text = f"Optional[{text}]"
        return Entry(f"{s.wire}: {text}", s.item.description, children, s.item.span)

    def union_children(self, frame: Frame) -> tuple[Entry, ...]:
        out: list[Entry] = []
        roots = set(self.known.roots.values())
        for m in frame.members:
            if m.shape is not None and m.shape.ref in roots:
                assert m.shape.ref is not None
                out.append(Entry(m.shape.ref.name, m.item.description, (), m.item.span))
                continue
            # A type the other pages define only inside another one: the page's class, its fields named.
            if m.copy or m.kind != "object":
                if m.copy and m.root:
                    out.append(Entry(m.name, m.item.description, (), m.item.span))
                continue
            if m.root:
                out.append(Entry(m.name, m.item.description, self.entries(m), m.item.span))
            else:
                out.append(Entry(f"class {m.name}: …", m.item.description, self.entries(m), m.item.span))
        return tuple(out)


def _base(name: str) -> str:
    """A type name for comparison: request-side names carry a ``Param`` suffix."""
    return name.removesuffix("Param").lower()


def _is_plain_name(text: str) -> bool:
    return text.isidentifier() and text[:1].isupper()


def example_entries(
    rec: Recovery, example: dict[str, Any], name: str, root: bool, slots: dict[str, Slot], span: Span
) -> tuple[Entry, ...]:
    """An object's fields as its example lists them: every key is a field (the example names it), typed by
    what the page says of it when an entry was matched to the key, else by the example value's kind."""
    required = required_run(list(example))
    out: list[Entry] = []
    for key, value in example.items():
        slot = slots.get(key)
        nested = pascal(key) if root else name + pascal(key)
        expr: Expr | None = None
        children: tuple[Entry, ...] = ()
        page_expr = slot.expr if slot is not None else None
        named = name_in(page_expr)
        if (
            named is not None
            and named in rec.known.roots
            and slot is not None
            and slot.child is not None
            and slot.child.shape is not None
        ):
            expr = with_inner(page_expr, NamedExpr(named))
        elif isinstance(value, dict) and object_example(value):
            children = example_entries(rec, value, nested, False, _child_slots(slot), span)
            expr = NamedExpr(nested)
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            expr = ArrayExpr(PrimitiveExpr("unknown"))
        elif page_expr is not None and named is not None:
            expr = PrimitiveExpr("unknown")  # an enum or a union the page names but never lists
        else:
            expr = example_expr(value)
        nullable = (
            page_expr is not None and isinstance(page_expr, UnionExpr) and PrimitiveExpr("null") in page_expr.members
        )
        text = spell(expr)
        if nullable or key not in required:
            text = f"Optional[{text}]"
        description = slot.item.description if slot is not None else ""
        at = slot.item.span if slot is not None else span
        out.append(Entry(f"{key}: {text}", description, children, at))
    return tuple(out)


def _child_slots(slot: Slot | None) -> dict[str, Slot]:
    if slot is None or slot.child is None:
        return {}
    return {s.wire: s for s in slot.child.slots if s.wire}
