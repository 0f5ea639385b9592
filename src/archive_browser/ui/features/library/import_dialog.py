"""File ▸ Import File: the column-mapping step, with a live preview of the first rows.

The dialog opens the file as the command line does (`plan_import`): the detected encoding is
shown and can be changed, a spreadsheet's sheet chosen, and each column gets a combo box
with the proposed field. Nothing is read beyond the preview here; the whole file is checked
on a worker thread after the dialog is accepted, before anything asks where to save.
"""

from __future__ import annotations

import itertools
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from archive_browser.core.importer import BuildError, problem_lines
from archive_browser.core.importer.mapping import FIELDS, Mapping, assign, check_mapping
from archive_browser.core.importer.single import ImportPlan, plan_import
from archive_browser.core.importer.tabular import COMMON_ENCODINGS

PREVIEW_ROWS = 20
PREVIEW_CELL_CHARS = 200  # a preview cell is a glimpse; the import reads the whole cell
DETECTED = "(detected)"


class ImportFileDialog(QDialog):
    """Choose the encoding, the sheet and the field of each column of one file."""

    def __init__(self, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Import {path.name}")
        self.path = path
        self.plan: ImportPlan | None = None
        self.column_boxes: list[QComboBox] = []

        self.kind_label = QLabel()
        self.kind_label.setTextFormat(Qt.TextFormat.PlainText)
        self.encoding_box = QComboBox()
        self.encoding_box.addItems([DETECTED, *COMMON_ENCODINGS])
        self.encoding_box.currentIndexChanged.connect(self._reopen)
        self.sheet_box = QComboBox()
        self.sheet_box.currentIndexChanged.connect(self._reopen)
        self.preview = QTableWidget()
        self.preview.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.problems_label = QLabel()
        self.problems_label.setTextFormat(Qt.TextFormat.PlainText)
        self.problems_label.setWordWrap(True)
        self.problems_label.setStyleSheet("color: #a00")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.import_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.import_button.setText("Check and Import…")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        file_label = QLabel(str(path))
        file_label.setTextFormat(Qt.TextFormat.PlainText)  # a file name is not markup
        form.addRow("File:", file_label)
        form.addRow("Kind:", self.kind_label)
        form.addRow("Encoding:", self.encoding_box)
        form.addRow("Sheet:", self.sheet_box)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("Map each column to a field (the first rows are shown):"))
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.problems_label)
        layout.addWidget(self.buttons)
        self.resize(900, 520)
        self._opening = False
        self._reopen()

    # ------------------------------------------------------------ reading

    def _reopen(self) -> None:
        if self._opening:
            return
        self._opening = True
        try:
            self._open()
        finally:
            self._opening = False

    def _open(self) -> None:
        encoding = (
            None if self.encoding_box.currentIndex() <= 0 else self.encoding_box.currentText()
        )
        sheet = self.sheet_box.currentText() or None
        previous = self.mapping()
        try:
            plan = plan_import(self.path, encoding=encoding, sheet=sheet)
        except BuildError as exc:
            self.plan = None
            self._show_problems(problem_lines(exc.problems, 12))
            self.preview.clear()
            self.preview.setRowCount(0)
            self.preview.setColumnCount(0)
            self.column_boxes = []
            return
        if plan.mapping is not None and previous:
            # Keep what the user chose for columns that are still there.
            for column, field_name in previous.items():
                if column in plan.mapping:
                    plan.mapping = assign(plan.mapping, column, field_name)
        self.plan = plan
        self._fill(plan)

    def _fill(self, plan: ImportPlan) -> None:
        kinds = {
            "table": "Table: each row becomes a record, by the mapping below",
            "isad": "ISAD(G) CSV (AtoM): the columns are read as AtoM defines them",
            "ead": "EAD finding aid: the units and their hierarchy are read as they are",
        }
        self.kind_label.setText(kinds[plan.kind])
        table = plan.table
        self.encoding_box.setEnabled(table is not None and table.encoding is not None)
        if table is not None and table.encoding is not None:
            self.encoding_box.setItemText(0, f"{DETECTED} {table.encoding.reason}")
        self.sheet_box.setEnabled(bool(table and table.sheets))
        if table is not None and table.sheets and self.sheet_box.count() == 0:
            self.sheet_box.addItems(table.sheets)
            self.sheet_box.setCurrentText(table.sheet or "")
        self.column_boxes = []
        self.preview.clear()
        if table is None:
            self.preview.setRowCount(0)
            self.preview.setColumnCount(0)
            self._show_problems([])
            return
        preview_failed = False
        try:
            rows = [cells for _, cells in itertools.islice(table.rows(), PREVIEW_ROWS)]
        except BuildError as exc:
            rows, preview_failed = [], True
            self._show_problems(problem_lines(exc.problems, 12))
        self.preview.setColumnCount(len(table.header))
        self.preview.setRowCount(len(rows) + (1 if plan.mapping is not None else 0))
        self.preview.setHorizontalHeaderLabels(table.header)
        offset = 0
        if plan.mapping is not None:
            offset = 1
            self.preview.setVerticalHeaderItem(0, QTableWidgetItem("Field"))
            for index, column in enumerate(table.header):
                box = QComboBox()
                for name, label in FIELDS.items():
                    box.addItem(label, name)
                box.setCurrentIndex(box.findData(plan.mapping.get(column, "ignore")))
                box.currentIndexChanged.connect(
                    lambda _=0, c=column, b=box: self.set_field(c, b.currentData())
                )
                self.preview.setCellWidget(0, index, box)
                self.column_boxes.append(box)
        for row, cells in enumerate(rows):
            for index, cell in enumerate(cells[: len(table.header)]):
                item = QTableWidgetItem(cell[:PREVIEW_CELL_CHARS])
                self.preview.setItem(row + offset, index, item)
        self.preview.resizeColumnsToContents()
        if not preview_failed:
            self._check()

    # ------------------------------------------------------------ the mapping

    def mapping(self) -> Mapping:
        return dict(self.plan.mapping) if self.plan and self.plan.mapping else {}

    def set_field(self, column: str, field_name: str) -> None:
        """Map `column` to `field_name` (what choosing in its combo box does)."""
        if self.plan is None or self.plan.mapping is None:
            return
        self.plan.mapping = assign(self.plan.mapping, column, field_name)
        header = self.plan.table.header if self.plan.table else []
        for box, label in zip(self.column_boxes, header, strict=False):
            wanted = box.findData(self.plan.mapping.get(label, "ignore"))
            if box.currentIndex() != wanted:
                box.blockSignals(True)
                box.setCurrentIndex(wanted)
                box.blockSignals(False)
        self._check()

    def field_box(self, column: str) -> QComboBox:
        assert self.plan is not None and self.plan.table is not None
        return self.column_boxes[self.plan.table.header.index(column)]

    def _check(self) -> None:
        if self.plan is None:
            self.import_button.setEnabled(False)
            return
        problems = (
            check_mapping(self.plan.mapping, self.plan.path.name)
            if self.plan.mapping is not None
            else []
        )
        self._show_problems([p.message for p in problems])

    def _show_problems(self, lines: list[str]) -> None:
        self.problems_label.setText("\n".join(lines))
        self.import_button.setEnabled(not lines and self.plan is not None)
