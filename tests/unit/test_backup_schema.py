"""The restore check compares table SQL with its constraints in a fixed order, and nothing looser."""

from __future__ import annotations

from workbench.store.backup import _canonical

TABLE = (
    'CREATE TABLE "parties" ( id INTEGER NOT NULL, name VARCHAR(500) NOT NULL, "note, with comma" TEXT, '
    "CONSTRAINT pk_parties PRIMARY KEY (id), CONSTRAINT uq_parties UNIQUE (case_id, position), "
    "CONSTRAINT fk_parties_case FOREIGN KEY(case_id) REFERENCES cases (id) ON DELETE CASCADE )"
)


def test_constraints_listed_in_another_order_by_a_batch_rebuild_are_the_same_schema() -> None:
    reordered = TABLE.replace(
        "CONSTRAINT uq_parties UNIQUE (case_id, position), CONSTRAINT fk_parties_case FOREIGN KEY(case_id) "
        "REFERENCES cases (id) ON DELETE CASCADE",
        "CONSTRAINT fk_parties_case FOREIGN KEY(case_id) REFERENCES cases (id) ON DELETE CASCADE, "
        "CONSTRAINT uq_parties UNIQUE (case_id, position)",
    )
    assert reordered != TABLE
    assert _canonical(reordered) == _canonical(TABLE)


def test_columns_in_another_order_or_a_changed_constraint_are_not() -> None:
    swapped = TABLE.replace(
        "id INTEGER NOT NULL, name VARCHAR(500) NOT NULL", "name VARCHAR(500) NOT NULL, id INTEGER NOT NULL"
    )
    assert _canonical(swapped) != _canonical(TABLE)
    weaker = TABLE.replace("ON DELETE CASCADE", "ON DELETE SET NULL")
    assert _canonical(weaker) != _canonical(TABLE)
    assert _canonical("CREATE INDEX ix ON t (a, b)") == "CREATE INDEX ix ON t (a, b)"
