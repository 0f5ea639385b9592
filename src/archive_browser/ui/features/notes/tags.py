"""Tags in the window: a record's tags under its star (`RecordTagsBar`) and the Notebook's
Manage Tags dialog (`ManageTagsDialog`).

Every change goes through the store (`core/store/tags.py`), which decides what a tag name
may be: a refused name or a failed write is shown as the store's sentence next to the field
and changes nothing; the typed text stays, to be corrected. A store open for reading only
shows the tags and says why they cannot be changed.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QStringListModel, Qt, Signal
from PySide6.QtGui import QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from archive_browser.core.store import UserStore, UserStoreError
from archive_browser.core.store.tags import tag_name
from archive_browser.ui.features.notes.note_editor import error_palette
from archive_browser.ui.features.notes.record_panel import (
    ArchiveIdGetter,
    RecordPanel,
    StoreGetter,
)

ADD_TAG_HINT = "Add tag…"
REMOVE_MARK = "×"


def button_text(text: str) -> str:
    """`text` shown literally on a button (Qt reads `&` as a keyboard mnemonic)."""
    return text.replace("&", "&&")


class MessageLabel(QLabel):
    """A plain-text sentence under the tags; red (readable on dark themes) for a problem."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        self._normal_palette = QPalette(self.palette())
        self.hide()

    def say(self, text: str, error: bool = False) -> None:
        self.setPalette(error_palette(self) if error else self._normal_palette)
        self.setText(f"⚠ {text}" if error and text else text)
        self.setVisible(bool(text))


class TagField(QLineEdit):
    """The Add-tag field: Enter adds (the bar listens to returnPressed), Esc asks to go back
    to the table even where a window shortcut would otherwise take the key."""

    escape_pressed = Signal()

    def event(self, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
        ):
            event.accept()  # ours: handled in keyPressEvent
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.escape_pressed.emit()
            return
        super().keyPressEvent(event)


class RecordTagsBar(RecordPanel):
    """`Tags:` with one chip per tag (its × removes it) and the Add-tag field.

    Signals: `tags_changed(record_id)` after a tag was added or removed; `escape_pressed`
    (Esc in the field).
    """

    tags_changed = Signal(str)
    escape_pressed = Signal()

    def __init__(
        self, store: StoreGetter, archive_id: ArchiveIdGetter, parent: QWidget | None = None
    ) -> None:
        super().__init__(store, archive_id, parent)
        self.tags: list[str] = []
        self.chips: dict[str, QToolButton] = {}
        self.heading = QLabel("Tags:", self)
        self.chip_area = QHBoxLayout()
        self.chip_area.setContentsMargins(0, 0, 0, 0)
        self.chip_area.setSpacing(2)
        self.field = TagField(self)
        self.field.setPlaceholderText(ADD_TAG_HINT)
        self.field.setToolTip("Type a tag and press Enter to add it to this record")
        self.field.setMinimumWidth(self.fontMetrics().horizontalAdvance("M" * 12))
        self.completion_model = QStringListModel(self)
        completer = QCompleter(self.completion_model, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.field.setCompleter(completer)
        self.field.returnPressed.connect(self.add_from_field)
        self.field.escape_pressed.connect(self.escape_pressed)
        self.message_label = MessageLabel(self)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.heading)
        row.addLayout(self.chip_area)
        row.addWidget(self.field, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.message_label)

    # ---------------------------------------------------------------- showing

    def set_record(self, record_id: str | None) -> None:
        self.record_id = record_id
        self.field.clear()
        self.reload()

    def reload(self) -> None:
        """Read the record's tags and every known tag again (a change anywhere)."""
        store = self._store()
        self.tags = []
        self.message_label.say("")
        if self.record_id is not None and store is not None:
            try:
                self.tags = store.tags_of(self._archive_id(), self.record_id)
                self.completion_model.setStringList([tag for tag, _n in store.tag_counts()])
            except UserStoreError as error:
                self.message_label.say(str(error), error=True)
        self._fill_chips()
        reason = self._read_only_reason(store)
        usable = self.record_id is not None and store is not None and reason is None
        self.field.setEnabled(usable)
        for chip in self.chips.values():
            chip.setEnabled(usable)
        if reason and self.record_id is not None:
            self.message_label.say(f"Tags cannot be changed. {reason}")

    @staticmethod
    def _read_only_reason(store: UserStore | None) -> str | None:
        return store.read_only_reason if store is not None else None

    def _fill_chips(self) -> None:
        for chip in self.chips.values():
            self.chip_area.removeWidget(chip)
            chip.deleteLater()
        self.chips = {}
        previous: QWidget = self.field
        for tag in self.tags:
            chip = QToolButton(self)
            chip.setText(button_text(f"{tag} {REMOVE_MARK}"))
            chip.setToolTip(f"Remove the tag “{tag}” from this record")
            chip.setAutoRaise(True)
            chip.clicked.connect(lambda _checked=False, name=tag: self._remove_by_chip(name))
            self.chip_area.addWidget(chip)
            chip.show()  # now, not when the layout gets round to it: Tab may come first
            self.chips[tag] = chip
            QWidget.setTabOrder(previous, chip)  # Tab from the field reaches each ×
            previous = chip
        self.heading.setToolTip("; ".join(self.tags))

    # ---------------------------------------------------------------- changing

    def _remove_by_chip(self, name: str) -> None:
        pressed_by_key = any(chip.hasFocus() for chip in self.chips.values())
        if self.remove_tag(name) and pressed_by_key:
            self.field.setFocus(Qt.FocusReason.OtherFocusReason)  # its chip is gone

    def add_from_field(self) -> bool:
        """Enter in the field: the typed tag is added (the field is cleared when it was)."""
        text = self.field.text()
        if not text.strip():
            return False
        if self.add_tag(text):
            self.field.clear()
            return True
        return False

    def add_tag(self, name: str) -> bool:
        return self._change(
            lambda store, archive_id, record_id: store.add_tags(archive_id, record_id, [name]),
            "Tagged",
        )

    def remove_tag(self, name: str) -> bool:
        return self._change(
            lambda store, archive_id, record_id: store.remove_tags(archive_id, record_id, [name]),
            "Removed the tag",
        )

    def _change(self, write: Callable[[UserStore, str, str], list[str]], done: str) -> bool:
        store = self._store()
        record_id = self.record_id
        if store is None or record_id is None:
            return False
        try:
            names = write(store, self._archive_id(), record_id)
        except UserStoreError as error:
            self.message_label.say(str(error), error=True)
            return False
        self.reload()
        if names:
            self.message_label.say(f"{done} “{names[0]}”.")
        self.tags_changed.emit(record_id)
        return True


class ManageTagsDialog(QDialog):
    """Every tag with its number of records, and Rename / Merge into for the chosen one.

    Renaming and merging change a tag in every archive (as the store does). `tags_changed`
    after a rename or a merge.
    """

    tags_changed = Signal()

    def __init__(self, store: StoreGetter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self.setWindowTitle("Manage Tags")
        self.table = QTableWidget(0, 2, self)
        self.table.setHorizontalHeaderLabels(["Tag", "Records"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.table.currentCellChanged.connect(lambda *_cells: self._on_chosen())
        self.rename_edit = QLineEdit(self)
        self.rename_edit.setPlaceholderText("New name")
        self.rename_button = QPushButton("Rename", self)
        self.rename_button.setToolTip("Give the chosen tag this name, on every record")
        self.rename_button.clicked.connect(self.rename)
        self.rename_edit.returnPressed.connect(self.rename)
        self.merge_combo = QComboBox(self)
        self.merge_button = QPushButton("Merge", self)
        self.merge_button.setToolTip(
            "Every record with the chosen tag gets this tag instead; the chosen tag is gone"
        )
        self.merge_button.clicked.connect(self.merge)
        self.message_label = MessageLabel(self)
        scope = QLabel("Renaming and merging change the tag in every archive.", self)
        scope.setWordWrap(True)
        grid = QGridLayout()
        grid.addWidget(QLabel("Rename to:", self), 0, 0)
        grid.addWidget(self.rename_edit, 0, 1)
        grid.addWidget(self.rename_button, 0, 2)
        grid.addWidget(QLabel("Merge into:", self), 1, 0)
        grid.addWidget(self.merge_combo, 1, 1)
        grid.addWidget(self.merge_button, 1, 2)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(grid)
        layout.addWidget(scope)
        layout.addWidget(self.message_label)
        layout.addWidget(buttons)
        self.resize(420, 380)
        self.refresh()

    def tag_names(self) -> list[str]:
        items = (self.table.item(row, 0) for row in range(self.table.rowCount()))
        return [item.text() for item in items if item is not None]

    def chosen_tag(self) -> str | None:
        item = self.table.item(self.table.currentRow(), 0)
        return item.text() if item is not None else None

    def choose(self, tag: str) -> bool:
        """Make `tag` (any case) the chosen one; False if there is no such tag."""
        keys = [name.casefold() for name in self.tag_names()]
        if tag.casefold() not in keys:
            return False
        self.table.setCurrentCell(keys.index(tag.casefold()), 0)
        return True

    def refresh(self, chosen: str | None = None) -> None:
        """List the tags again; `chosen` (else the tag chosen before) stays chosen."""
        chosen = chosen or self.chosen_tag()
        store = self._store()
        counts: list[tuple[str, int]] = []
        if store is not None:
            try:
                counts = store.tag_counts()
            except UserStoreError as error:
                self.message_label.say(str(error), error=True)
        self.table.blockSignals(True)
        self.table.setRowCount(len(counts))
        for row, (tag, count) in enumerate(counts):
            self.table.setItem(row, 0, QTableWidgetItem(tag))
            number = QTableWidgetItem(str(count))
            number.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, 1, number)
        self.table.blockSignals(False)
        if not (chosen and self.choose(chosen)) and counts:
            self.table.setCurrentCell(0, 0)
        self._on_chosen()
        reason = store.read_only_reason if store is not None else "The notes file is not open."
        if reason:
            self.message_label.say(f"Tags cannot be changed. {reason}")
        elif not counts:
            self.message_label.say("No tags yet: add one under a record's star.")

    def _on_chosen(self) -> None:
        chosen = self.chosen_tag()
        self.rename_edit.setText(chosen or "")
        self.merge_combo.clear()
        self.merge_combo.addItems([name for name in self.tag_names() if name != chosen])
        store = self._store()
        writable = store is not None and not store.read_only and chosen is not None
        self.rename_edit.setEnabled(writable)
        self.rename_button.setEnabled(writable)
        self.merge_combo.setEnabled(writable and self.merge_combo.count() > 0)
        self.merge_button.setEnabled(writable and self.merge_combo.count() > 0)

    def rename(self) -> bool:
        old, new = self.chosen_tag(), self.rename_edit.text()
        store = self._store()
        if store is None or old is None:
            return False
        try:
            uses = store.rename_tag(old, new)
        except UserStoreError as error:
            self.message_label.say(str(error), error=True)
            return False
        self.refresh(chosen=tag_name(new))
        records = "1 record" if uses == 1 else f"{uses} records"
        self.message_label.say(f"Renamed “{old}” to “{self.chosen_tag()}” ({records}).")
        self.tags_changed.emit()
        return True

    def merge(self) -> bool:
        source, target = self.chosen_tag(), self.merge_combo.currentText()
        store = self._store()
        if store is None or source is None or not target:
            return False
        try:
            moved = store.merge_tags(source, target)
        except UserStoreError as error:
            self.message_label.say(str(error), error=True)
            return False
        self.refresh(chosen=target)
        records = "1 record" if moved == 1 else f"{moved} records"
        self.message_label.say(f"Merged “{source}” into “{target}” ({records}).")
        self.tags_changed.emit()
        return True


class TagRecordsDialog(QDialog):
    """ "Tag N Records…": one tag name (completing the known tags), OK / Cancel.

    OK hands the name to `apply`, which writes it and returns None, or returns the store's
    sentence for a refused name: the dialog then stays open with the sentence and the typed
    text, and nothing has changed.
    """

    def __init__(
        self,
        count: int,
        known_tags: list[str],
        apply: Callable[[str], str | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._apply = apply
        self.setWindowTitle(f"Tag {count} Record" if count == 1 else f"Tag {count} Records")
        self.field = QLineEdit(self)
        self.field.setPlaceholderText("Tag")
        self.field.setToolTip(f"The tag to add to each of the {count} selected records")
        self.field.setMinimumWidth(self.fontMetrics().horizontalAdvance("M" * 20))
        completer = QCompleter(QStringListModel(known_tags, self), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.field.setCompleter(completer)
        self.message_label = MessageLabel(self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"Add a tag to the {count} selected records:", self))
        layout.addWidget(self.field)
        layout.addWidget(self.message_label)
        layout.addWidget(self.buttons)

    def accept(self) -> None:
        refusal = self._apply(self.field.text())
        if refusal is not None:
            self.message_label.say(refusal, error=True)
            self.field.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        super().accept()
