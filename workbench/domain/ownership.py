"""Who owns whom among register parties, and how much of a party listed owners hold (pure).

The aggregation follows OFAC's 50 % guidance (2014) and the BIS Affiliates Rule (FR Doc
2025-19001, Supp. No. 8 to part 744), written down with sources in resources/rules/README.md
under "Ownership":

* an owner *counts* when it is listed, or when it is itself *covered*;
* a party's aggregate is the sum of the stakes held in it **directly** by owners that count;
* a party is covered when that aggregate is 50 % or more (exact decimals, no rounding).

Percentages are never multiplied along a chain: an entity 50 % owned by a listed party passes
its own stakes on in full (it counts like a listed party), and an entity 40 % owned passes on
nothing. Graphs are acyclic: a stake that would close a circle is refused with the circle named.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from workbench.domain.case import ListFlag
from workbench.domain.errors import ValidationError
from workbench.domain.validation import text as _text

THRESHOLD = Decimal(50)
"""An entity 50 % or more owned in aggregate by parties that count is covered."""
HUNDRED = Decimal(100)
MAX_STAKES = 500_000
MAX_PATHS = 64
"""Paths reported per result; the sum is always over every stake, the list of paths is bounded."""
MAX_TREE_NODES = 2_000
MAX_TREE_DEPTH = 30

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class OwnershipCycleError(ValidationError):
    """The stakes go round in a circle (A owns B owns … A): ownership data cannot be evaluated."""


def percent_value(value: object, field_name: str = "percent") -> Decimal:
    """An exact percentage 0 < p ≤ 100 from text, an integer or a decimal (floats via their text)."""
    if isinstance(value, bool):
        raise ValidationError(field_name, f"'{value}' is not a percentage")
    try:
        number = Decimal(str(value).strip()) if isinstance(value, str | int | float) else Decimal(value)  # type: ignore[arg-type]
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError(
            field_name, f"'{value}' is not a percentage; write it as a number, e.g. 25 or 12.5"
        ) from None
    if not number.is_finite():
        raise ValidationError(field_name, f"'{value}' is not a percentage; write it as a number, e.g. 25 or 12.5")
    if not Decimal(0) < number <= HUNDRED:
        raise ValidationError(field_name, f"must be more than 0 and at most 100 (got {number})")
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -6:
        raise ValidationError(field_name, f"{number} has more than six decimal places; round it")
    number = number.normalize()
    return number.quantize(Decimal(1)) if number == number.to_integral_value() else number


@dataclass(frozen=True, slots=True)
class Stake:
    """``owner_id`` holds ``percent`` of ``owned_id`` directly, as known on ``as_of``.

    ``percent`` is None when the owner is known but its percentage is not (red flag 29).
    The source is a document in the store (its SHA-256), a note, or both.
    """

    owner_id: int
    owned_id: int
    percent: Decimal | None
    as_of: date
    document_sha256: str = ""
    note: str = ""

    def __post_init__(self) -> None:
        for name in ("owner_id", "owned_id"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValidationError(name, f"'{value}' is not a register party id (a positive whole number)")
        if self.owner_id == self.owned_id:
            raise ValidationError("owner", f"party {self.owner_id} cannot own itself")
        if self.percent is not None:
            object.__setattr__(self, "percent", percent_value(self.percent))
        if not isinstance(self.as_of, date):
            raise ValidationError("as_of", "must be the date the stake is known as of (YYYY-MM-DD)")
        sha = _text(self.document_sha256, "document_sha256", required=False, max_len=64).lower()
        if sha and not _SHA256.match(sha):
            raise ValidationError("document_sha256", "must be 64 hexadecimal characters (a stored document's SHA-256)")
        object.__setattr__(self, "document_sha256", sha)
        object.__setattr__(self, "note", _text(self.note, "note", required=False, max_len=2000))
        if not sha and not self.note:
            raise ValidationError(
                "source", "say where the stake is known from: a stored document (its SHA-256) or a note"
            )

    @property
    def percent_text(self) -> str:
        return "unknown %" if self.percent is None else f"{self.percent} %"


@dataclass(frozen=True, slots=True)
class Contribution:
    """One direct stake held in a party by an owner that counts."""

    stake: Stake
    owner_listed: frozenset[ListFlag]
    """The lists the owner itself is on (among those evaluated); empty when it counts as covered."""
    owner_lists: frozenset[ListFlag]
    """The lists whose restrictions the owner carries (its own, or those it is covered through)."""


@dataclass(frozen=True, slots=True)
class OwnershipPath:
    """A chain from a listed party down to the party evaluated: each stake, top first."""

    root_id: int
    root_lists: frozenset[ListFlag]
    stakes: tuple[Stake, ...]


@dataclass(frozen=True, slots=True)
class Aggregate:
    """How much of ``party_id`` owners that count hold, and how (for the findings)."""

    party_id: int
    total: Decimal
    contributions: tuple[Contribution, ...]
    unknown: tuple[Contribution, ...]
    """Stakes of owners that count whose percentage is not known (red flag 29)."""
    lists: frozenset[ListFlag]
    """The lists whose restrictions pass to the party when it is covered."""
    paths: tuple[OwnershipPath, ...]
    paths_truncated: bool = False

    @property
    def covered(self) -> bool:
        return self.total >= THRESHOLD


@dataclass(frozen=True, slots=True)
class OwnershipNode:
    """One party in an ownership tree; ``stake`` links it to its parent node (None at the root)."""

    party_id: int
    stake: Stake | None
    children: tuple[OwnershipNode, ...] = ()
    truncated: bool = False
    """Children were left out (depth or size bound reached)."""


@dataclass(frozen=True)
class OwnershipGraph:
    """Stakes between register parties, checked once: one stake per owner and owned, no circles."""

    stakes: tuple[Stake, ...]
    names: Mapping[int, str] = field(default_factory=dict)
    _owners: dict[int, tuple[Stake, ...]] = field(init=False, repr=False, compare=False)
    _holdings: dict[int, tuple[Stake, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        stakes = tuple(self.stakes)
        if len(stakes) > MAX_STAKES:
            raise ValidationError("stakes", f"{len(stakes):,} stakes exceed the bound of {MAX_STAKES:,}")
        owners: dict[int, list[Stake]] = {}
        holdings: dict[int, list[Stake]] = {}
        pairs: set[tuple[int, int]] = set()
        for stake in stakes:
            pair = (stake.owner_id, stake.owned_id)
            if pair in pairs:
                raise ValidationError(
                    "stakes",
                    f"{self.label(stake.owner_id)} has two stakes in {self.label(stake.owned_id)}; record one",
                )
            pairs.add(pair)
            owners.setdefault(stake.owned_id, []).append(stake)
            holdings.setdefault(stake.owner_id, []).append(stake)
        object.__setattr__(self, "stakes", stakes)
        object.__setattr__(self, "_owners", {k: tuple(sorted(v, key=_by_owner)) for k, v in owners.items()})
        object.__setattr__(self, "_holdings", {k: tuple(sorted(v, key=_by_owned)) for k, v in holdings.items()})
        cycle = self._find_cycle()
        if cycle:
            chain = " → ".join(self.label(p) for p in cycle)
            raise OwnershipCycleError(
                "owners",
                f"the ownership goes round in a circle ({chain}); a party cannot own itself through others, "
                "so correct or remove one of these stakes",
            )

    def label(self, party_id: int) -> str:
        name = self.names.get(party_id)
        return f"{name} (party {party_id})" if name else f"party {party_id}"

    def owners_of(self, party_id: int) -> tuple[Stake, ...]:
        """The stakes held directly in ``party_id``."""
        return self._owners.get(party_id, ())

    def holdings_of(self, party_id: int) -> tuple[Stake, ...]:
        """The stakes ``party_id`` holds directly in others."""
        return self._holdings.get(party_id, ())

    def parties(self) -> set[int]:
        return set(self._owners) | set(self._holdings)

    def total_known(self, party_id: int) -> Decimal:
        return sum((s.percent for s in self.owners_of(party_id) if s.percent is not None), Decimal(0))

    def warnings(self, party_ids: Iterable[int] | None = None) -> list[str]:
        """Parties whose recorded stakes add up to more than 100 % (the data needs correcting)."""
        out = []
        for party_id in sorted(self._owners if party_ids is None else party_ids):
            total = self.total_known(party_id)
            if total > HUNDRED:
                out.append(
                    f"the stakes recorded in {self.label(party_id)} add up to {total} %, more than 100 %; "
                    "check the percentages and their dates"
                )
        return out

    def with_stake(self, stake: Stake) -> OwnershipGraph:
        """The graph with ``stake`` added or replacing the same owner's stake (refused if it closes a circle)."""
        kept = [s for s in self.stakes if (s.owner_id, s.owned_id) != (stake.owner_id, stake.owned_id)]
        return OwnershipGraph((*kept, stake), self.names)

    def ancestors(self, party_id: int) -> list[int]:
        """``party_id`` and every direct or indirect owner of it, owners before what they own."""
        order: list[int] = []
        self._post_order(party_id, set(), order)
        return order

    def topological(self) -> list[int]:
        """Every party, owners before what they own."""
        seen: set[int] = set()
        order: list[int] = []
        for party_id in sorted(self.parties()):
            self._post_order(party_id, seen, order)
        return order

    def _post_order(self, start: int, seen: set[int], order: list[int]) -> None:
        stack: list[tuple[int, bool]] = [(start, False)]
        while stack:
            node, done = stack.pop()
            if done:
                order.append(node)
                continue
            if node in seen:
                continue
            seen.add(node)
            stack.append((node, True))
            stack.extend((s.owner_id, False) for s in reversed(self.owners_of(node)) if s.owner_id not in seen)

    def owners_tree(self, party_id: int, max_depth: int = MAX_TREE_DEPTH) -> OwnershipNode:
        """The party with its owners, their owners and so on (bounded in depth and size)."""
        return self._tree(party_id, up=True, max_depth=max_depth)

    def owned_tree(self, party_id: int, max_depth: int = MAX_TREE_DEPTH) -> OwnershipNode:
        """The party with what it owns, what those own and so on (bounded in depth and size)."""
        return self._tree(party_id, up=False, max_depth=max_depth)

    def _tree(self, root: int, *, up: bool, max_depth: int) -> OwnershipNode:
        budget = [MAX_TREE_NODES]

        def build(party_id: int, stake: Stake | None, depth: int) -> OwnershipNode:
            links = self.owners_of(party_id) if up else self.holdings_of(party_id)
            if not links:
                return OwnershipNode(party_id, stake)
            if depth >= max_depth or budget[0] <= 0:
                return OwnershipNode(party_id, stake, truncated=True)
            children: list[OwnershipNode] = []
            for link in links:
                if budget[0] <= 0:
                    return OwnershipNode(party_id, stake, tuple(children), truncated=True)
                budget[0] -= 1
                children.append(build(link.owner_id if up else link.owned_id, link, depth + 1))
            return OwnershipNode(party_id, stake, tuple(children))

        return build(root, None, 0)

    def _find_cycle(self) -> list[int]:
        """A circle of owners (first party repeated at the end), or [] when there is none."""
        white, grey, black = 0, 1, 2
        colour: dict[int, int] = {}
        for start in sorted(self.parties()):
            if colour.get(start, white) != white:
                continue
            path: list[int] = []
            stack: list[tuple[int, int]] = [(start, 0)]
            while stack:
                node, index = stack.pop()
                if index == 0:
                    colour[node] = grey
                    path.append(node)
                links = self.holdings_of(node)
                if index < len(links):
                    stack.append((node, index + 1))
                    child = links[index].owned_id
                    state = colour.get(child, white)
                    if state == grey:
                        return [*path[path.index(child) :], child]
                    if state == white:
                        stack.append((child, 0))
                else:
                    colour[node] = black
                    path.pop()
        return []


def _by_owner(stake: Stake) -> int:
    return stake.owner_id


def _by_owned(stake: Stake) -> int:
    return stake.owned_id


def aggregate(
    graph: OwnershipGraph,
    listed: Mapping[int, Collection[ListFlag]],
    lists: Collection[ListFlag],
    *,
    party_id: int | None = None,
) -> dict[int, Aggregate]:
    """For each party with an owner that counts, the aggregate held by listed and covered owners.

    ``listed`` says which lists each party is on (confirmed screening hits or declared listings);
    only ``lists`` are evaluated (e.g. Entity List and MEU for the Affiliates Rule, SDN for OFAC).
    With ``party_id`` only that party is returned, and only it and its owners are evaluated
    (fast on a large register).
    """
    wanted = frozenset(lists)
    order = graph.ancestors(party_id) if party_id is not None else graph.topological()
    on_lists = {p: frozenset(flags) & wanted for p, flags in listed.items() if flags}
    totals: dict[int, tuple[list[Contribution], list[Contribution], Decimal, frozenset[ListFlag]]] = {}
    carries: dict[int, frozenset[ListFlag]] = {}
    """Lists each counting party carries: its own listings and those it is covered through."""
    for node in order:
        own = on_lists.get(node, frozenset())
        known: list[Contribution] = []
        unknown: list[Contribution] = []
        for stake in graph.owners_of(node):
            owner_lists = carries.get(stake.owner_id)
            if owner_lists:
                contribution = Contribution(stake, on_lists.get(stake.owner_id, frozenset()), owner_lists)
                (known if stake.percent is not None else unknown).append(contribution)
        if known or unknown:
            total = sum((c.stake.percent for c in known if c.stake.percent is not None), Decimal(0))
            passed = frozenset().union(*(c.owner_lists for c in known)) if known else frozenset()
            totals[node] = (known, unknown, total, passed)
            if total >= THRESHOLD:
                own = own | passed
        if own:
            carries[node] = own
    memo: dict[int, tuple[tuple[OwnershipPath, ...], bool]] = {}

    def paths(node: int) -> tuple[tuple[OwnershipPath, ...], bool]:
        if node not in memo:
            out: list[OwnershipPath] = []
            truncated = False
            for contribution in totals[node][0]:
                owner = contribution.stake.owner_id
                if contribution.owner_listed:
                    out.append(OwnershipPath(owner, contribution.owner_listed, (contribution.stake,)))
                else:
                    upstream, cut = paths(owner)
                    truncated = truncated or cut
                    out.extend(
                        OwnershipPath(p.root_id, p.root_lists, (*p.stakes, contribution.stake)) for p in upstream
                    )
                if len(out) > MAX_PATHS:
                    out, truncated = out[:MAX_PATHS], True
                    break
            memo[node] = (tuple(out), truncated)
        return memo[node]

    wanted_nodes = [party_id] if party_id is not None else list(totals)
    results = {}
    for node in wanted_nodes:
        if node in totals:
            known, unknown, total, passed = totals[node]
            found, cut = paths(node)
            results[node] = Aggregate(node, total, tuple(known), tuple(unknown), passed, found, cut)
    return results
