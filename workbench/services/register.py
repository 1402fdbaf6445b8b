"""Use cases of the counterparty register: add parties (with their owners) from a party file,
list and search them, show one, and report its ownership with the ownership rules as of a date.

Everything a file describes is stored in one transaction or not at all. Which parties count as
listed for the ownership rules: the lists each party is declared to be on (``listed_on``) and
the lists of its hits decided true matches (while those decisions apply).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from workbench.domain.case import ListFlag
from workbench.domain.errors import DuplicateError, InputFileError, ValidationError, one_line
from workbench.domain.ownership import Aggregate, OwnershipGraph, OwnershipNode, Stake, aggregate
from workbench.domain.register import RegisterParty, RegisterSummary
from workbench.domain.register_screening import PartyScreeningStatus
from workbench.export.jsonfiles import read_input_file
from workbench.export.partyfile import MAX_FILE_BYTES, PartySpec, parse_party_json
from workbench.rules.ownership import OwnershipEvaluation, evaluate_ownership
from workbench.services.bootstrap import Workbench
from workbench.services.register_screening import confirmed_listings

EVALUATED_LISTS = (ListFlag.ENTITY_LIST, ListFlag.MILITARY_END_USER, ListFlag.SDN)
MAX_PAGE = 1_000


@dataclass(frozen=True, slots=True)
class AddResult:
    """What ``party add`` stored: the party, every party created with it, the stakes, and warnings."""

    party: RegisterParty
    created: tuple[RegisterParty, ...]
    stakes: tuple[Stake, ...]
    warnings: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PartyView:
    party: RegisterParty
    owners: tuple[Stake, ...]
    holdings: tuple[Stake, ...]
    names: Mapping[int, str]
    warnings: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class OwnershipReport:
    """A party's ownership both ways, the aggregate per list, and the ownership rules on ``as_of``."""

    party: RegisterParty
    as_of: date
    graph: OwnershipGraph
    owners_tree: OwnershipNode
    owned_tree: OwnershipNode
    listed: Mapping[int, tuple[ListFlag, ...]]
    per_list: Mapping[ListFlag, Aggregate | None]
    evaluation: OwnershipEvaluation


def read_party_file(path: Path) -> PartySpec:
    return parse_party_json(read_input_file(path, "party file", MAX_FILE_BYTES), str(path))


def add_party_file(wb: Workbench, path: Path) -> AddResult:
    """Validate a party file completely, then store the party, its new owners and the stakes at once."""
    return add_party(wb, read_party_file(path), str(path))


def add_party(wb: Workbench, spec: PartySpec, source: str = "party file") -> AddResult:
    created: list[RegisterParty] = []
    stakes: list[Stake] = []
    warnings: list[str] = []
    with wb.uow() as uow:
        repo = uow.register

        def store(node: PartySpec) -> RegisterParty:
            for other in repo.find_by_name(node.party.name, node.party.country):
                warnings.append(
                    f"{node.location}: a party named '{node.party.name}' in {node.party.country} is in the register "
                    f'already as party {other}; check the two are not the same (use "ref": {other} if they are)'
                )
            try:
                party = repo.add(node.party)
            except DuplicateError as exc:
                raise InputFileError(one_line(f"{source}: {node.location}: {exc}")) from None
            created.append(party)
            assert party.id is not None
            for owner in node.owners:
                if owner.party is not None:
                    owner_id = store(owner.party).id
                else:
                    owner_id = owner.ref
                    if owner_id is None or not repo.exists(owner_id):
                        raise InputFileError(
                            f"{source}: {owner.location}.ref: there is no register party {owner_id}; "
                            "look the owner up in the register or describe it as \"party\".",
                            cli_hint="'party list --search' finds register parties",
                        )
                assert owner_id is not None
                try:
                    stake = Stake(owner_id, party.id, owner.percent, owner.as_of, owner.document_sha256, owner.note)
                    graph = repo.record_stake(stake)
                except ValidationError as exc:
                    raise InputFileError(one_line(f"{source}: {owner.location}: {exc.message}.")) from None
                stakes.append(stake)
                warnings.extend(f"{source}: {w}" for w in graph.warnings([party.id]) if w not in warnings)
            return party

        top = store(spec)
        uow.commit()
    return AddResult(top, tuple(created), tuple(stakes), tuple(dict.fromkeys(warnings)))


def list_parties(
    wb: Workbench,
    search: str = "",
    *,
    status: PartyScreeningStatus | None = None,
    offset: int = 0,
    limit: int = 100,
) -> tuple[int, list[RegisterSummary]]:
    """(how many match, one page of them), sorted by name."""
    if not 1 <= limit <= MAX_PAGE:
        raise ValidationError("limit", f"must be between 1 and {MAX_PAGE:,} (got {limit})")
    with wb.uow() as uow:
        return uow.register.page(search, status=status, offset=max(0, offset), limit=limit)


def get_party(wb: Workbench, party_id: int) -> RegisterParty:
    with wb.uow() as uow:
        return uow.register.get(party_id)


def show_party(wb: Workbench, party_id: int) -> PartyView:
    with wb.uow() as uow:
        repo = uow.register
        party = repo.get(party_id)
        graph = repo.ownership(party_id)
        return PartyView(
            party,
            graph.owners_of(party_id),
            graph.holdings_of(party_id),
            graph.names,
            tuple(graph.warnings([party_id])),
        )


def ownership_report(wb: Workbench, party_id: int, as_of: date | None = None) -> OwnershipReport:
    """The ownership tree both ways, the aggregate per list and the ownership rules' findings on ``as_of``."""
    day = as_of or date.today()
    with wb.uow() as uow:
        repo = uow.register
        party = repo.get(party_id)
        graph = repo.ownership(party_id)
        listed = dict(repo.declared_listings({party_id, *graph.parties()}))
    for node, flags in confirmed_listings(wb, {party_id, *graph.parties()}).items():
        listed[node] = tuple(dict.fromkeys((*listed.get(node, ()), *flags)))
    per_list = {flag: aggregate(graph, listed, [flag], party_id=party_id).get(party_id) for flag in EVALUATED_LISTS}
    evaluation = evaluate_ownership(party_id, graph, listed, day)
    return OwnershipReport(
        party,
        day,
        graph,
        graph.owners_tree(party_id),
        graph.owned_tree(party_id),
        listed,
        per_list,
        evaluation,
    )
