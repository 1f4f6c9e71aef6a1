"""Rebuild the list nesting that a collapsed page lost: a least-cost search over the consistent trees.

Each entry's signature says what its children are (a ``Literal`` of three values has three
literal children, ``Union[A, B]`` two member children, a class some fields) and often how many;
class bodies and named references leave the count open. Entries come in pre-order, and the
top-level ones (``-- `x```) are known. The search reads entries left to right keeping every
stack of open entries that fits those rules (up to a beam), scored by the docs' own conventions:
fields come in at most two alphabetical runs (required, then optional), and a class is expanded
where it first appears in a section. The cheapest tree wins; where two trees tie, the entry whose
parent is in doubt gets a warning.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import NamedTuple

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
)
from generator.naming import pascal, singular
from generator.read.doc import Entry

__all__ = ["FlatItem", "agreed", "rebuild"]

FIELD, MEMBER, LITERAL = "field", "member", "literal"
_WAYS_CAP = 2


@dataclass(frozen=True, slots=True)
class FlatItem:
    """An entry as it stands in the collapsed page: no children yet."""

    text: str
    description: str
    top: bool
    """Written at the top level (``-- `x```): a root of the section."""
    span: Span
    sig: Signature | None
    """None when the signature could not be parsed (already reported)."""

    def with_description(self, description: str) -> FlatItem:
        return replace(self, description=description)

    def with_signature(self, sig: Signature) -> FlatItem:
        return replace(self, sig=sig)


@dataclass(frozen=True, slots=True)
class _Spec:
    """What children an entry takes."""

    kinds: frozenset[str]
    counts: frozenset[int] | None
    """Allowed numbers of children; None: any."""
    homogeneous: bool = False
    """All children of one kind (the expansion of a named type: fields, members or values)."""
    body_of: str | None = None
    """The class whose fields these are: ordering rules and learned bodies apply."""
    named: str | None = None
    """The named type whose expansion the children are (``usage: ResponseUsage``)."""
    slot_counts: tuple[int | None, ...] = ()
    """For union members: the field count the parent's expression gives each member (Ruby hints)."""


_NONE = _Spec(frozenset(), frozenset({0}))


def _kind(sig: Signature | None) -> str:
    if isinstance(sig, FieldSig):
        return FIELD
    if isinstance(sig, BareSig) and isinstance(sig.type, LiteralExpr):
        return LITERAL
    return MEMBER


def _type_spec(expr: Expr) -> _Spec:
    match expr:
        case PrimitiveExpr():
            return _NONE
        case LiteralExpr():
            return _Spec(frozenset({LITERAL}), frozenset({1}))
        case ArrayExpr(item) | MapExpr(item):
            return _type_spec(item)
        case NamedExpr(name):
            return _Spec(frozenset({FIELD, MEMBER, LITERAL}), None, homogeneous=True, named=name)
        case ObjectExpr(title, hint, more):
            if more < 0:
                return _Spec(frozenset({FIELD}), None, body_of=title)
            return _Spec(frozenset({FIELD}), frozenset({0, len(hint) + more}), body_of=title)
        case UnionExpr(members, more):
            if all(isinstance(m, LiteralExpr) for m in members):
                return _Spec(frozenset({LITERAL}), frozenset({len(members) + more}))
            readings = [member_slots(expr)]
            if (absorbed := member_slots(expr, absorb_more=True)) != readings[0]:
                readings.append(absorbed)
            slot_counts = tuple(
                len(m.hint) + m.more if isinstance(m, ObjectExpr) and m.more >= 0 else None for m in readings[0]
            )
            return _Spec(frozenset({MEMBER}), frozenset(len(r) for r in readings), slot_counts=slot_counts)


def _spec(sig: Signature | None) -> _Spec:
    match sig:
        case None:
            return _NONE
        case BareSig(ObjectExpr(title, (), -1)):
            return _Spec(frozenset({FIELD}), None, body_of=title)
        case BareSig(LiteralExpr()):
            return _NONE  # a value of its parent's literal type
        case FieldSig() | AliasSig() | BareSig():
            return _type_spec(sig.type)


NAMED_KEY = "="
"""Prefix of the keys of ``expansions`` that name a referenced type, not a class."""
LEAD_KEY = "|"
"""Prefix of the keys of ``expansions`` that name a union's first member class: the members of a
union that starts with it (pages name the union differently, its member classes alike)."""
FIELD_KEY = "."
"""Prefix of the keys of ``expansions`` that name a field: what a field of that name expands to
wherever the intact pages expand it (the pages name one field's type differently, rarely its shape)."""
COUNT_KEY = "#"
"""Suffix of the keys of a field that the intact pages expand in several ways: ``.tools#2`` is
one of them, with 2 children (the count is then one of these)."""
_BEAM = 24
_DOUBTS = 64
"""Ties remembered per tree (each becomes a warning where the two trees part)."""
_SLACK = 2
_MISFIT = 3
"""The cost of a class body that differs from the body the same class has elsewhere."""


def _order_key(name: str) -> tuple[int, str]:
    # The docs list `id` first, then the rest alphabetically.
    return (0, "") if name == "id" else (1, name)


class _Frame(NamedTuple):
    """An entry whose children are still being read."""

    item: int
    counts: frozenset[int] | None
    taken: int = 0
    """Children read so far."""
    prev: tuple[int, str] | None = None
    runs: int = 1
    first: str = ""
    names: frozenset[str] = frozenset()
    """Field names taken so far: an object has each field once."""
    lead: str = ""
    """The title of the first child when it is a class: the union whose expansion it starts."""


@dataclass(frozen=True, slots=True, eq=False)
class _History:
    """Which parent each entry got: a persistent list, newest first."""

    item: int
    parent: int
    """-1 for a root."""
    before: _History | None


@dataclass(frozen=True, slots=True)
class _State:
    stack: tuple[_Frame, ...]
    cost: int
    history: _History | None
    doubt: tuple[tuple[_History | None, _History | None], ...] = ()
    """Equally cheap trees this one was preferred to (their histories, compared at the end)."""


class _Search:
    def __init__(
        self, items: Sequence[FlatItem], flavour: str, bodies: Mapping[str, tuple[str, ...]], widen: int = 1
    ) -> None:
        self.beam = _BEAM * widen
        self.slack = _SLACK * widen
        self.items = items
        self.n = len(items)
        self.python = flavour.startswith("python")
        self.bodies = bodies
        self.kinds = [_kind(it.sig) for it in items]
        self.specs = [_spec(it.sig) for it in items]
        self.names = [it.sig.name if isinstance(it.sig, FieldSig) else "" for it in items]
        self.optional = [isinstance(it.sig, FieldSig) and it.sig.optional for it in items]
        self.seen_before = self._seen_before()
        self.class_bodies = self._class_bodies()
        self.alternatives: dict[str, frozenset[int]] = {}
        for key in bodies:
            base, sep, count = key.rpartition(COUNT_KEY)
            if sep and count.isdigit():
                self.alternatives[base] = self.alternatives.get(base, frozenset()) | {int(count)}

    def _seen_before(self) -> list[bool]:
        """Whether a class or named type already appeared earlier in the section.

        A class counts as seen only after an earlier class of its name: right under a reference
        to it (``alpha: ThingAlphaA`` then ``class ThingAlphaA``) it is that reference's expansion.
        """
        classes: set[str] = set()
        named: set[str] = set()
        out = []
        for item, spec in zip(self.items, self.specs, strict=True):
            if isinstance(item.sig, AliasSig):
                named.add(item.sig.name)  # ``X = Array[Y]`` expands X where it stands
            if spec.body_of is not None:
                out.append(spec.body_of in classes)
                classes.add(spec.body_of)
            elif spec.named is not None and self._local(item, spec.named):
                out.append(False)
            elif spec.named is not None:
                out.append(spec.named in named or spec.named in classes)
                named.add(spec.named)
            else:
                out.append(False)
        return out

    def _local(self, item: FlatItem, named: str) -> bool:
        """Python names a nested type after its field (`action: Optional[Action]`), once per root
        type: the same name in another root is another type, expanded there again."""
        if not self.python or not isinstance(item.sig, FieldSig):
            return False
        return named in (pascal(item.sig.name), singular(pascal(item.sig.name)))

    def _class_bodies(self) -> list[tuple[str, ...] | None]:
        """Each class's fields on the intact pages. Python qualifies a member class by its union, named
        after a field (`ActionWait`: `Wait` of `action: Action`); the intact pages title it plainly."""
        parents = {
            sp.named for it, sp in zip(self.items, self.specs, strict=True) if sp.named and self._local(it, sp.named)
        }
        out: list[tuple[str, ...] | None] = []
        for spec in self.specs:
            name = spec.body_of
            body = self.bodies.get(name) if name else None
            if name and body is None and self.python:
                for prefix in sorted((p for p in parents if name.startswith(p) and name != p), key=len, reverse=True):
                    if (body := self.bodies.get(name.removeprefix(prefix))) is not None:
                        break
            out.append(body)
        return out

    def _body(self, item: int) -> tuple[str, ...] | None:
        return self.class_bodies[item]

    def _expected_counts(self, frame: _Frame) -> frozenset[int] | None:
        """How many children a named type's expansion has on the other pages (the counts they allow)."""
        name = self.specs[frame.item].named
        if not name:
            return None
        # Python qualifies a member class by its union's name (`Action` → `ActionClick`); the
        # intact pages title it plainly (`Click`).
        leads = [lead for lead in dict.fromkeys([frame.lead, frame.lead.removeprefix(name)]) if lead]
        field = self.names[frame.item]
        keys = [NAMED_KEY + name + LEAD_KEY + lead for lead in leads[:1]] + [NAMED_KEY + name]
        if field:
            # A field name the intact pages give several types (`action`) is told apart by the
            # type's first field or member.
            keys += [FIELD_KEY + field + LEAD_KEY + lead for lead in leads] + [FIELD_KEY + field]
        keys += [LEAD_KEY + lead for lead in leads]
        for key in keys:
            body = self.bodies.get(key)
            if body is not None:
                return frozenset({len(body)})
            if key in self.alternatives:
                return self.alternatives[key]
        return None

    def close_cost(self, frame: _Frame) -> int | None:
        """What closing the frame costs, or None when it cannot close with this many children."""
        counts = frame.counts
        if counts is not None and frame.taken not in counts:
            return None
        body = self._body(frame.item)
        if body is not None and frame.taken not in (0, len(body)):
            return _MISFIT
        spec = self.specs[frame.item]
        expected = self._expected_counts(frame)
        if expected is not None and 0 < frame.taken < max(expected) and frame.taken not in expected:
            return _MISFIT  # (taking more than expected was charged when it happened)
        if spec.named is not None:
            # A named type is expanded where it first appears in the section, named bare after.
            return (1 if frame.taken else 0) if self.seen_before[frame.item] else (0 if frame.taken else 1)
        if spec.body_of is None or counts is not None:
            return 0
        # A class is expanded where it first appears in the section and named bare later on.
        if self.seen_before[frame.item]:
            return 1 if frame.taken and self.python else 0
        return 0 if frame.taken else 1

    def attach(self, frame: _Frame, p: int) -> tuple[_Frame, int, frozenset[int] | None] | None:
        """The frame after taking entry ``p`` as its next child, the cost, and p's own child counts."""
        spec = self.specs[frame.item]
        kind = self.kinds[p]
        if kind not in spec.kinds or (spec.homogeneous and frame.first and kind != frame.first):
            return None
        if frame.counts is not None and frame.taken >= max(frame.counts, default=0):
            return None
        body = self._body(frame.item)
        if kind == FIELD and self.names[p] in frame.names:
            return None
        cost, prev, runs = 0, frame.prev, frame.runs
        if body is not None and (frame.taken >= len(body) or self.names[p] != body[frame.taken]):
            cost += _MISFIT
        expected = self._expected_counts(frame)
        if expected is not None and frame.taken == max(expected):
            # One child too many for the named type's expansion elsewhere: charged now, so that the
            # beam does not keep trees whose cost is only deferred to the closing of a frame.
            cost += _MISFIT
        if spec.body_of is not None and kind == FIELD:
            key = _order_key(self.names[p])
            if prev is not None and key <= prev:
                runs += 1
                cost += 1 if runs > 2 else 0
            if self.python and runs >= 2 and not self.optional[p]:
                cost += 1
            prev = key
        child_counts = self.specs[p].counts
        if frame.taken < len(spec.slot_counts) and spec.slot_counts[frame.taken] is not None and self.specs[p].body_of:
            child_counts = frozenset({0, spec.slot_counts[frame.taken] or 0})
        names = frame.names | {self.names[p]} if kind == FIELD else frame.names
        if frame.taken == 0:
            lead = (self.specs[p].body_of or "") if kind == MEMBER else self.names[p] if kind == FIELD else ""
        else:
            lead = frame.lead
        new = _Frame(frame.item, frame.counts, frame.taken + 1, prev, runs, frame.first or kind, names, lead)
        return new, cost, child_counts

    def step(self, state: _State, p: int) -> list[_State]:
        """Every way entry ``p`` can be placed given the open entries."""
        out: list[_State] = []
        stack = state.stack
        cost = state.cost
        top = self.items[p].top
        # Try attaching to each open entry from the innermost out, closing those above it.
        for depth in range(len(stack), -1, -1):
            if depth < len(stack):
                pass
            if depth == 0:
                if top:
                    out.append(self.push(state, (), cost, p, -1, self.specs[p].counts))
                break
            if top:
                closing = self.close_cost(stack[depth - 1])
                if closing is None:
                    return out
                cost += closing
                continue
            frame = stack[depth - 1]
            taken = self.attach(frame, p)
            if taken is not None:
                new, extra, child_counts = taken
                out.append(self.push(state, (*stack[: depth - 1], new), cost + extra, p, frame.item, child_counts))
            closing = self.close_cost(frame)
            if closing is None:
                break
            cost += closing
        return out

    def push(
        self, state: _State, stack: tuple[_Frame, ...], cost: int, p: int, parent: int, counts: frozenset[int] | None
    ) -> _State:
        if counts != frozenset({0}):
            stack = (*stack, _Frame(p, counts))
        return _State(stack, cost, _History(p, parent, state.history), state.doubt)

    def run(self) -> tuple[_State | None, list[int]]:
        states = [_State((), 0, None)]
        for p in range(self.n):
            merged: dict[tuple[_Frame, ...], _State] = {}
            for state in states:
                for new in self.step(state, p):
                    old = merged.get(new.stack)
                    if old is None or new.cost < old.cost:
                        merged[new.stack] = new
                    elif new.cost == old.cost and new.history is not old.history and len(old.doubt) < _DOUBTS:
                        merged[new.stack] = _State(
                            old.stack, old.cost, old.history, (*old.doubt, (old.history, new.history))
                        )
            if not merged:
                return None, [p]
            states = sorted(merged.values(), key=lambda s: s.cost)[: self.beam]
            # Trees already this much dearer than the best one do not come back.
            bound = states[0].cost + self.slack
            states = [s for s in states if s.cost <= bound]
        finals: list[_State] = []
        for state in states:
            cost = state.cost
            for frame in reversed(state.stack):
                closing = self.close_cost(frame)
                if closing is None:
                    break
                cost += closing
            else:
                finals.append(_State((), cost, state.history, state.doubt))
        if not finals:
            return None, [self.n - 1] if self.n else []
        finals.sort(key=lambda s: s.cost)
        best = finals[0]
        doubt = [_divergence(a, b) for a, b in best.doubt]
        if len(finals) > 1 and finals[1].cost == best.cost:
            doubt.append(_divergence(best.history, finals[1].history))
        return best, doubt


def _divergence(a: _History | None, b: _History | None) -> int:
    """The earliest entry whose parent differs between two histories of the same entries."""
    first = -1
    steps = 0
    while a is not None and b is not None and a is not b and steps < 5_000:
        if a.parent != b.parent:
            first = a.item
        a, b = a.before, b.before
        steps += 1
    return first


@dataclass
class _Result:
    entries: list[Entry]
    diagnostics: list[Diagnostic]
    bodies: dict[str, set[tuple[str, ...]]]
    """Bodies the search settled without doubt: of classes by name, of named types by ``NAMED_KEY`` + name
    + ``LEAD_KEY`` + the name of their first member or field."""


def _solve(items: Sequence[FlatItem], flavour: str, bodies: Mapping[str, tuple[str, ...]]) -> _Result:
    search = _Search(items, flavour, bodies)
    best, doubt = search.run()
    for widen in (4, 16):
        if best is not None:
            break
        # The beam lost every tree that fits: search again, wider.
        search = _Search(items, flavour, bodies, widen=widen)
        best, doubt = search.run()
    if best is None:
        at = doubt[0] if doubt else 0
        span = items[at].span if items else Span("", 1, 1)
        text = items[at].text if items else ""
        return _Result(
            [],
            [
                Diagnostic(
                    Level.ERROR,
                    "E203",
                    f"no nesting of the entries fits their signatures " f"(stuck at `{text}`)",
                    span,
                )
            ],
            {},
        )
    parent: dict[int, int] = {}
    h = best.history
    while h is not None:
        parent[h.item] = h.parent
        h = h.before
    children: dict[int, list[int]] = {i: [] for i in range(len(items))}
    roots: list[int] = []
    for i in range(len(items)):
        (roots if parent[i] < 0 else children[parent[i]]).append(i)
    doubtful = {d for d in doubt if d >= 0}
    diagnostics = [
        Diagnostic(
            Level.WARNING,
            "W201",
            f"`{items[d].text}` may belong to another entry than "
            f"`{items[parent[d]].text if parent[d] >= 0 else '(top level)'}`; the cheapest reading was "
            "chosen",
            items[d].span,
        )
        for d in sorted(doubtful)
    ]
    learned: dict[str, set[tuple[str, ...]]] = {}

    def build(i: int) -> tuple[Entry, int]:
        kids = [build(c) for c in children[i]]
        last = max([i, *(k[1] for k in kids)])
        spec = search.specs[i]
        certain = not any(i < d <= last for d in doubtful)
        key = spec.body_of or (NAMED_KEY + spec.named if spec.named else "")
        if spec.named and kids:
            # Python reuses a nested name in each root (`Action` of a computer call, of a shell
            # call): the first member or field tells which type it is.
            first = children[i][0]
            key += LEAD_KEY + (search.specs[first].body_of or search.names[first])
        if key and kids and certain:
            learned.setdefault(key, set()).add(tuple(search.names[c] for c in children[i]))
        return Entry(items[i].text, items[i].description, tuple(k[0] for k in kids), items[i].span), last

    return _Result([build(r)[0] for r in roots], diagnostics, learned)


def expansions(entries: Sequence[Entry], parse: Callable[[str], Signature]) -> dict[str, tuple[str, ...]]:
    """What each named type or titled class expands to on an intact page: field names or member titles.

    Only names that expand the same way everywhere on the page are kept (titles can be reused).
    """
    seen: dict[str, set[tuple[str, ...]]] = {}

    def key(entry: Entry) -> str:
        try:
            sig = parse(entry.signature)
        except ValueError:  # an unreadable entry is reported by the page's own reader
            return ""
        match sig:
            case FieldSig(name) | AliasSig(name):
                return name
            case BareSig(ObjectExpr(title=str(title))):
                return title
            case _:
                return ""

    def member_title(entry: Entry) -> str:
        """The title of a class that is a union member."""
        try:
            sig = parse(entry.signature)
        except ValueError:
            return ""
        return sig.type.title or "" if isinstance(sig, BareSig) and isinstance(sig.type, ObjectExpr) else ""

    def walk(entry: Entry) -> None:
        if entry.children:
            try:
                sig: Signature | None = parse(entry.signature)
            except ValueError:
                sig = None
            names = []
            match sig:
                case BareSig(ObjectExpr(title=str(title))):
                    names.append(title)
                case FieldSig(type=expr) | AliasSig(type=expr):
                    while isinstance(expr, ArrayExpr | MapExpr):
                        expr = expr.item if isinstance(expr, ArrayExpr) else expr.value
                    names.append(NAMED_KEY + expr.name if isinstance(expr, NamedExpr) else "")
                    names.append(FIELD_KEY + sig.name if isinstance(sig, FieldSig) else "")
            body = tuple(key(c) for c in entry.children)
            if lead := member_title(entry.children[0]):
                names.append(LEAD_KEY + lead)
            if isinstance(sig, FieldSig) and (lead := lead or key(entry.children[0])):
                names.append(FIELD_KEY + sig.name + LEAD_KEY + lead)
            for name in filter(None, names):
                seen.setdefault(name, set()).add(body)
        for child in entry.children:
            walk(child)

    for entry in entries:
        walk(entry)
    out = {name: next(iter(forms)) for name, forms in seen.items() if len(forms) == 1}
    for name, forms in seen.items():
        if len(forms) > 1 and name.startswith(FIELD_KEY):
            # Only the counts are read; sorted, so that equal counts keep the same body under any hash seed
            # (``known`` is part of the page cache's key).
            out.update({f"{name}{COUNT_KEY}{len(body)}": body for body in sorted(forms)})
    return out


def rebuild(
    items: Sequence[FlatItem], flavour: str, known: Mapping[str, tuple[str, ...]] | None = None
) -> tuple[list[Entry], list[Diagnostic], dict[str, set[tuple[str, ...]]]]:
    """Entry trees for a section's flat entries, and the bodies the search settled without doubt.

    The bodies are keyed like ``known`` (class names, ``NAMED_KEY`` + a referenced type's name):
    a reader can feed those the whole page agrees on back in as ``known`` (see ``agreed``).
    """
    result = _solve(items, flavour, dict(known or {}))
    return result.entries, result.diagnostics, result.bodies


def agreed(
    learned: Mapping[str, set[tuple[str, ...]]], known: Mapping[str, tuple[str, ...]]
) -> dict[str, tuple[str, ...]]:
    """The learned bodies that every certain reading agrees on and that ``known`` does not settle yet."""
    return {k: next(iter(v)) for k, v in learned.items() if len(v) == 1 and k not in known}
