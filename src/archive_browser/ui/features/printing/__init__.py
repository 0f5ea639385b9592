"""File ▸ Print Record… and File ▸ Export Record as PDF…: the record shown, as its detail
page reads (every text of it, escaped; links printed as plain text).

The page is `record_html` with the whole text (not the preview the pane cuts); printing and
the PDF are `ui/widgets/printing.py`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QAction, QKeySequence

from archive_browser.core.archive import Record
from archive_browser.ui.hooks import WindowHooks
from archive_browser.ui.widgets.detail_view import TEXT_FULL_CHARS, record_html
from archive_browser.ui.widgets.printing import PrintError, choose_pdf_path, print_html, write_pdf

STATUS_MS = 6000


class RecordPrinting:
    """The two File-menu actions for the record shown."""

    def __init__(self, hooks: WindowHooks) -> None:
        self.hooks = hooks
        self.last_message = ""
        window = hooks.parent_widget
        self.print_action = QAction("&Print Record…", window)
        self.print_action.setShortcut(QKeySequence.StandardKey.Print)
        self.print_action.setStatusTip("Print the record shown, with all its text")
        self.print_action.triggered.connect(lambda: self.print_record())
        self.pdf_action = QAction("Export Record as P&DF…", window)
        self.pdf_action.setStatusTip("Save the record shown as a PDF file")
        self.pdf_action.triggered.connect(lambda: self.export_pdf())
        hooks.add_menu_items("file", [self.print_action, self.pdf_action, None], where="closing")

    def shown_record(self) -> Record | None:
        tab = self.hooks.current_entity_tab()
        record_id = tab.detail.record_id if tab is not None else None
        if record_id is None:
            return None
        return self.hooks.archive.get(record_id)

    def record_page(self, record: Record) -> str:
        return record_html(record, self.hooks.archive.title_of, text_limit=TEXT_FULL_CHARS)

    def print_record(self) -> bool:
        record = self.shown_record()
        if record is None:
            return self._say("Open a record in one of the record tabs to print it.")
        return print_html(self.record_page(record), record.title, self.hooks.parent_widget)

    def export_pdf(self, path: Path | None = None) -> bool:
        record = self.shown_record()
        if record is None:
            return self._say("Open a record in one of the record tabs to export it as a PDF.")
        if path is None:
            name = record.id.replace("/", "-") + ".pdf"
            path = choose_pdf_path(self.hooks.parent_widget, "Export the record as PDF", name)
            if path is None:
                return False
        try:
            pages = write_pdf(self.record_page(record), record.title, path)
        except PrintError as error:
            return self._say(str(error))
        self._say(
            f"Saved {record.title} as a PDF of {pages} {'page' if pages == 1 else 'pages'}: {path}."
        )
        return True

    def _say(self, message: str) -> bool:
        self.last_message = message
        self.hooks.show_status(message, STATUS_MS)
        return False


def install_printing(hooks: WindowHooks) -> RecordPrinting:
    """File ▸ Print Record… and Export Record as PDF… (once per window)."""
    return hooks.install_once(RecordPrinting, lambda: RecordPrinting(hooks))
