"""The product editor: the recorded classification and its figures beside the assistant's proposal,
with the documents on file, the cases using the product and its history.

Figures are validated as they are typed (each field says what is wrong under it) and the
assistant re-reads them at once. Saving is a reclassification with a written reason: it runs
off the GUI thread with progress and cancel, and shows every open case it re-checked, before and after.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.errors import ValidationError
from workbench.domain.products import Product
from workbench.services import Workbench
from workbench.services import product_cases as pc
from workbench.services import products as ps
from workbench.ui import messages
from workbench.ui.messages import validation_sentence
from workbench.ui.ops import Op
from workbench.ui.widgets.tppchart import ChartPoint, TppChart

ERROR_STYLE = "color: #b00020;"
_FIGURES = (("tpp", "TPP per IC"), ("performance_density", "Performance density"), ("ics_per_unit", "ICs per unit"))


def _number(text: str, field: str, whole: bool = False) -> float | int | None:
    cleaned = text.strip().replace(",", "")
    if not cleaned:
        if whole:
            raise ValidationError(field, "is required; enter how many advanced ICs one unit holds, e.g. 8")
        return None
    try:
        return int(cleaned) if whole else float(cleaned)
    except ValueError:
        kind = "a whole number" if whole else "a number"
        example = "8" if whole else "4800"
        raise ValidationError(field, f"'{text.strip()}' is not {kind}; enter it like {example}") from None


def _plain(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


class ProductEditor(QDialog):
    def __init__(self, wb: Workbench, part_number: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._wb = wb
        self.detail = ps.get_product(wb, part_number)
        product = self.detail.view.product
        self._product = product
        self.setWindowTitle(f"Product {product.part_number}")
        self.resize(900, 680)
        self.recheck_op: Op[pc.ReclassificationImpact] | None = None
        self.impact: pc.ReclassificationImpact | None = None

        approval = f" by {product.approved_by} on {product.approved_on}" if product.approved_on else ""
        identity = QLabel(
            f"<b>{product.part_number}</b> · {product.description}<br>{product.manufacturer} {product.model}"
            f" · {product.status.label}{approval}"
        )
        identity.setWordWrap(True)
        self.eccn = QLineEdit(product.eccn or "")
        self.eccn.setPlaceholderText("ECCN, EAR99, or empty for unclassified")
        self.paragraph = QLineEdit(product.paragraph)
        self.reasoning = QPlainTextEdit(product.reasoning)
        self.reasoning.setFixedHeight(70)
        self.tpp = QLineEdit(_plain(product.tpp))
        self.performance_density = QLineEdit(_plain(product.performance_density))
        self.ics_per_unit = QLineEdit(str(product.ics_per_unit))
        self.datacenter = QCheckBox("Designed or marketed for data centres")
        self.datacenter.setChecked(product.datacenter)
        self.errors: dict[str, QLabel] = {}
        recorded = QGroupBox("Recorded classification")
        form = QFormLayout(recorded)
        for key, label, widget in (
            ("eccn", "ECCN", self.eccn),
            ("paragraph", "Paragraph", self.paragraph),
            ("reasoning", "Reasoning", self.reasoning),
            ("tpp", "TPP per IC", self.tpp),
            ("performance_density", "Performance density", self.performance_density),
            ("ics_per_unit", "ICs per unit", self.ics_per_unit),
            ("datacenter", "", self.datacenter),
        ):
            error = QLabel()
            error.setStyleSheet(ERROR_STYLE)
            error.setWordWrap(True)
            error.hide()
            self.errors[key] = error
            box = QVBoxLayout()
            box.setContentsMargins(0, 0, 0, 0)
            box.addWidget(widget)
            box.addWidget(error)
            holder = QWidget()
            holder.setLayout(box)
            form.addRow(label, holder)

        assistant = QGroupBox("Classification assistant")
        self.proposal = QLabel()
        self.proposal.setWordWrap(True)
        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        self.conflict = QLabel()
        self.conflict.setWordWrap(True)
        self.conflict.setStyleSheet(ERROR_STYLE)
        side = QVBoxLayout(assistant)
        for shown in (self.proposal, self.explanation, self.conflict):
            side.addWidget(shown)
        side.addStretch(1)
        columns = QHBoxLayout()
        columns.addWidget(recorded, 3)
        columns.addWidget(assistant, 2)

        self.reason = QLineEdit()
        self.reason.setPlaceholderText("Why the classification changes (kept in the audit trail)")
        self.report = QLabel()
        self.report.setWordWrap(True)
        self.documents = QListWidget()
        for doc in self.detail.documents:
            note = f" — {doc.note}" if doc.note else ""
            self.documents.addItem(f"{doc.kind.value}: {doc.filename}  ({doc.sha256[:12]}…){note}")
        self.cases = QListWidget()
        self.history = QListWidget()
        self._fill_lists()
        self.chart = TppChart()
        tabs = QTabWidget()
        tabs.addTab(self.chart, "3A090 chart")
        tabs.addTab(self.documents, f"Documents ({len(self.detail.documents)})")
        tabs.addTab(self.cases, f"Cases using it ({self.cases.count()})")
        tabs.addTab(self.history, "History")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.save_button = self.buttons.addButton(
            "Reclassify and re-check cases", QDialogButtonBox.ButtonRole.ApplyRole
        )
        self.buttons.rejected.connect(self.reject)
        self.save_button.clicked.connect(self.save)

        layout = QVBoxLayout(self)
        layout.addWidget(identity)
        layout.addLayout(columns)
        reason_row = QFormLayout()
        reason_row.addRow("Reason", self.reason)
        layout.addLayout(reason_row)
        layout.addWidget(self.report)
        layout.addWidget(tabs, 1)
        layout.addWidget(self.buttons)
        for line in (self.eccn, self.paragraph, self.tpp, self.performance_density, self.ics_per_unit, self.reason):
            line.textChanged.connect(self.revalidate)
        self.reasoning.textChanged.connect(self.revalidate)
        self.datacenter.toggled.connect(self.revalidate)
        self.revalidate()

    def _fill_lists(self) -> None:
        self.cases.clear()
        for use in pc.cases_using_product(self._wb, self._product.part_number):
            items = ", ".join(str(p) for p in use.positions)
            self.cases.addItem(f"{use.reference} · {use.status.label.lower()} · {use.title} (item {items})")
        self.history.clear()
        for entry in reversed(self.detail.history):
            what = entry.field or entry.action
            reason = f" — {entry.reason}" if entry.reason else ""
            self.history.addItem(f"{entry.at[:19].replace('T', ' ')} {entry.officer}: {entry.action} {what}{reason}")

    # --- validation as typed ---------------------------------------------------------------------

    def changes(self) -> dict[str, Any]:
        """The edited fields (raises ``ValidationError`` naming the first field that is wrong)."""
        return {
            "eccn": self.eccn.text().strip() or None,
            "paragraph": self.paragraph.text(),
            "reasoning": self.reasoning.toPlainText(),
            "tpp": _number(self.tpp.text(), "tpp"),
            "performance_density": _number(self.performance_density.text(), "performance_density"),
            "ics_per_unit": _number(self.ics_per_unit.text(), "ics_per_unit", whole=True),
            "datacenter": self.datacenter.isChecked(),
        }

    def _field_errors(self) -> tuple[dict[str, str], Product | None]:
        errors: dict[str, str] = {}
        values: dict[str, Any] = {}
        for key in ("tpp", "performance_density"):
            try:
                values[key] = _number(getattr(self, key).text(), key)
            except ValidationError as exc:
                errors[key] = validation_sentence(exc, with_field=False)
        try:
            values["ics_per_unit"] = _number(self.ics_per_unit.text(), "ics_per_unit", whole=True)
        except ValidationError as exc:
            errors["ics_per_unit"] = validation_sentence(exc, with_field=False)
        base: dict[str, Any] = {
            "eccn": self.eccn.text().strip() or None,
            "paragraph": self.paragraph.text(),
            "reasoning": self.reasoning.toPlainText(),
            "datacenter": self.datacenter.isChecked(),
        }
        candidate: Product | None = None
        for _ in range(8):  # one message per field: drop a bad one and try the rest again
            try:
                candidate = replace(self._product, **base, **{k: v for k, v in values.items() if k not in errors})
                break
            except ValidationError as exc:
                key = exc.field if exc.field in self.errors else "eccn"
                errors[key] = validation_sentence(exc, with_field=False)
                base.pop(key, None)
                values.pop(key, None)
        return errors, candidate if not errors else None

    def revalidate(self) -> None:
        errors, candidate = self._field_errors()
        for key, label in self.errors.items():
            label.setText(errors.get(key, ""))
            label.setVisible(key in errors)
        recorded = self._product.eccn or "unclassified"
        if candidate is None:
            self.proposal.setText(f"Recorded: <b>{recorded}</b>. Correct the figures to see the assistant's proposal.")
            self.explanation.setText("")
            self.conflict.setText("")
        else:
            view = ps.view_of(candidate)
            proposed = view.review.proposed or "no 3A090/4A090 paragraph"
            self.proposal.setText(
                f"Recorded: <b>{candidate.eccn or 'unclassified'}</b> · the assistant proposes <b>{proposed}</b>"
            )
            self.explanation.setText(view.review.explanation)
            self.conflict.setText(f"Conflict: {view.review.conflict}" if view.review.conflict else "")
        self._plot(candidate or self._product)
        changed = candidate is not None and candidate != self._product
        self.save_button.setEnabled(changed and bool(self.reason.text().strip()))
        self.save_button.setToolTip("" if changed else "Change the classification or a figure first")

    def _plot(self, product: Product) -> None:
        """The product as edited, plotted; nothing when a figure is missing (the chart says so by its emptiness)."""
        if product.tpp is None or product.performance_density is None:
            self.chart.set_points([])
            return
        self.chart.set_points([ChartPoint(product.part_number, product.performance_density, product.tpp)])

    # --- save: reclassify and re-check off the GUI thread -----------------------------------------

    def save(self) -> Op[pc.ReclassificationImpact] | None:
        try:
            changes = self.changes()
        except ValidationError as exc:
            messages.error(self, "The product cannot be reclassified yet.", exc=exc)
            return None
        wb, part, reason, version = self._wb, self._product.part_number, self.reason.text(), self._product.version

        def work(progress: Any, cancelled: Any) -> pc.ReclassificationImpact:
            return pc.reclassify_and_recheck(
                wb,
                part,
                reason=reason,
                expected_version=version,
                progress=progress,
                cancelled=cancelled,
                **changes,
            )

        op: Op[pc.ReclassificationImpact] = (
            Op(self, work, title=f"Reclassify {part}")
            .success(self._reclassified)
            .keeps_result_on_cancel()
            .with_progress("Re-checking the open cases using the product…")
        )
        self.recheck_op = op
        self.save_button.setEnabled(False)
        return op.run()

    def _reclassified(self, impact: pc.ReclassificationImpact) -> None:
        self.impact = impact
        self.detail = ps.get_product(self._wb, self._product.part_number)
        self._product = self.detail.view.product
        self.reason.clear()
        self._fill_lists()
        lines = [
            f"Reclassified {self._product.part_number}: "
            f"{impact.reclassification.before.product.eccn or 'unclassified'} → {self._product.eccn or 'unclassified'}."
        ]
        if not impact.open_cases:
            lines.append("No open case uses it.")
        else:
            lines.append(
                f"Open cases re-checked: {len(impact.cases)} of {impact.open_cases}; moved: {len(impact.moved)}"
                f"{' (cancelled)' if impact.cancelled else ''}."
            )
            for case in impact.cases[:20]:
                mark = "•" if case.changed else "◦"
                lines.append(f"{mark} {case.reference}: {case.before_headline} → {case.after_headline}")
        self.report.setText("\n".join(lines))
        self.revalidate()
