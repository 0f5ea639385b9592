"""Bookmarks, notes, the Notebook tab and the exports, attached to the main window.

`install_notes(hooks)` is the one call the composition root makes. It opens the user store
through the hooks (a recovery message is shown once; a store that cannot be opened turns
notes off with a sentence saying why, and the program still browses), and uses the window's
hooks (`ui/hooks.py`): Ctrl+D and the Edit menu, a star, the record's tags and a notes editor
in every detail pane, the tables' context menus, a Notebook tab (with Manage Tags…), a
"Notes" group in the global search, and the File menu's exports. Unsaved notes are written
when the window closes or the program quits; text whose save failed holds the window back
(closing, quitting, opening another archive) until the user chooses: Save Again, Keep
Editing or Discard (with the text shown, and Copy Text). Closing without a user to ask (a
signal) tries for a while, then writes the text to a file beside the notes and says where.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QFileDialog,
    QMenu,
    QMessageBox,
    QWidget,
)

from archive_browser.core import export, paths
from archive_browser.core.store import UserStore, UserStoreError
from archive_browser.core.text import escape_markup
from archive_browser.core.text import fold as fold_for_search
from archive_browser.ui.features.notes.note_editor import RecordNotesPanel
from archive_browser.ui.features.notes.notebook import NotebookRow, NotebookTab, notebook_rows
from archive_browser.ui.features.notes.notebook_print import notebook_html
from archive_browser.ui.features.notes.tags import (
    ManageTagsDialog,
    RecordTagsBar,
    TagRecordsDialog,
)
from archive_browser.ui.hooks import WindowHooks
from archive_browser.ui.widgets.global_search import ResultItem
from archive_browser.ui.widgets.printing import PrintError, choose_pdf_path, print_html, write_pdf

if TYPE_CHECKING:
    from archive_browser.core.archive import Archive
    from archive_browser.ui.widgets.entity_tab import EntityTab

NOTE_SEARCH_LIMIT = 20
SNIPPET_CHARS = 140
STATUS_MS = 8000
# Closing on a signal (logout, shutdown) with a save failing: how long to keep trying before
# the text goes to a file instead.
UNATTENDED_RETRY_SECONDS = 3.0
UNSAVED_SEPARATOR = "\n\n――――――――\n\n"


def note_snippet(text: str, query: str, width: int = SNIPPET_CHARS) -> str:
    """The part of a note around the first word of `query` that it contains (plain text)."""
    flat = " ".join(text.split())
    folded = fold_for_search(flat)
    # Folding can change lengths (accents); positions are only used when they still agree.
    position = -1
    if len(folded) == len(flat):
        for word in fold_for_search(query).split():
            position = folded.find(word)
            if position >= 0:
                break
    start = max(0, position - width // 3) if position > 0 else 0
    snippet = flat[start : start + width]
    return ("…" if start else "") + snippet + ("…" if start + width < len(flat) else "")


class NotesController(QObject):
    """Everything notes-related in one window. Created by `install_notes`."""

    def __init__(self, hooks: WindowHooks) -> None:
        super().__init__(hooks.parent_widget)
        self.hooks = hooks
        self.store: UserStore | None = None
        self.disabled_reason: str | None = None
        self.recovery_box: QMessageBox | None = None
        self.unsaved_box: QMessageBox | None = None
        self._unsaved_proceed: Callable[[], object] = lambda: None
        self.rescue_file: Path | None = None
        self.last_message = ""
        self._archive: Archive = hooks.archive
        self._panels: dict[str, RecordNotesPanel] = {}  # type name -> panel
        self._panel_tabs: dict[str, EntityTab] = {}
        self.tags_dialog: ManageTagsDialog | None = None
        self.tag_records_dialog: TagRecordsDialog | None = None
        self._open_store()
        self._build_actions()
        self.notebook = NotebookTab(self._notebook_rows, hooks.parent_widget)
        self.notebook.record_activated.connect(self.open_note)
        # The Notebook edits notes in place with the same panel, and so the same saving,
        # versions and guards, as a record's detail pane.
        self.notebook_panel = self._make_panel(self.notebook)
        self.notebook.set_note_panel(self.notebook_panel)
        self.notebook.set_disabled_reason(self.disabled_reason)
        self.notebook.manage_tags_requested.connect(self.manage_tags)
        self.notebook.selection_menu_actions.append(self._selection_menu_hook)
        self._tags_bar(self.notebook_panel).escape_pressed.connect(
            lambda: self.notebook.table_view.setFocus(Qt.FocusReason.ShortcutFocusReason)
        )
        hooks.add_tab(self.notebook, "Notebook")
        hooks.add_search_provider(self.search_notes)
        hooks.record_shown.connect(self._on_record_shown)
        hooks.current_tab_changed.connect(self._on_tab_changed)
        hooks.archive_changed.connect(lambda _archive: self.sync_archive())
        hooks.closing.connect(self.flush_all)
        hooks.add_leave_guard(self._may_leave)
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.flush_all)
        self.attach_to_tabs()
        self._remember_archive()

    # ---------------------------------------------------------------- the store

    def _open_store(self) -> None:
        self.store = self.hooks.user_store()
        if self.store is None:
            error = self.hooks.user_store_error
            self.disabled_reason = error
            self.hooks.show_status(f"Notes and bookmarks are off. {error}", STATUS_MS * 2)
            return
        if self.store.read_only_reason:
            self.hooks.show_status(
                "Your notes file is open for reading only: notes can be read and exported, "
                f"not changed. {self.store.read_only_reason}",
                STATUS_MS * 2,
            )
        if self.store.recovery_message:
            message = self.store.recovery_message
            self.hooks.show_status(message, STATUS_MS * 2)
            # After the constructor, so the box stands over a window that is shown.
            QTimer.singleShot(0, lambda: self._show_recovery(message))

    def _show_recovery(self, message: str) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Information,
            "Notes recovered",
            message,
            QMessageBox.StandardButton.Ok,
            self.hooks.parent_widget,
        )
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setWindowModality(Qt.WindowModality.NonModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.show()
        self.recovery_box = box

    def _remember_archive(self) -> None:
        if self.store is None or self.store.read_only:
            return  # read-only: the recent list stays as it is, and nothing needs saying
        archive = self.hooks.archive
        try:
            self.store.remember_archive(archive.path, archive.archive_id, archive.title)
        except UserStoreError as error:  # the recent list is a convenience only
            self.hooks.show_status(str(error), STATUS_MS)

    @property
    def archive_id(self) -> str:
        return self._archive.archive_id

    def _store_getter(self) -> UserStore | None:
        return self.store

    # ---------------------------------------------------------------- actions and menus

    def _build_actions(self) -> None:
        window = self.hooks.parent_widget
        self.bookmark_action = QAction("&Bookmark This Record", window)
        self.bookmark_action.setShortcut(QKeySequence("Ctrl+D"))
        self.bookmark_action.setCheckable(True)
        self.bookmark_action.setStatusTip("Bookmark the record shown, or remove its bookmark")
        self.bookmark_action.triggered.connect(lambda _checked=False: self.toggle_current())
        self.bookmark_action.setEnabled(self.store is not None)
        self.hooks.add_menu_items("edit", [None, self.bookmark_action])

        self.export_csv_action = QAction("Export Notes and Bookmarks as &CSV…", window)
        self.export_csv_action.triggered.connect(lambda: self.export_notes_csv())
        self.export_markdown_action = QAction("Export Notes and Bookmarks as &Markdown…", window)
        self.export_markdown_action.triggered.connect(lambda: self.export_notes_markdown())
        self.export_csl_action = QAction("Export &Sources as CSL-JSON…", window)
        self.export_csl_action.setStatusTip("Every source record, for Zotero (File ▸ Import)")
        self.export_csl_action.triggered.connect(lambda: self.export_sources_csl_json())
        for action in (self.export_csv_action, self.export_markdown_action):
            action.setEnabled(self.store is not None)
        exports = [self.export_csv_action, self.export_markdown_action, self.export_csl_action]
        self.hooks.add_menu_items("file", [*exports, None], where="closing")

        self.print_notebook_action = QAction("Print &Notebook…", window)
        self.print_notebook_action.triggered.connect(lambda: self.print_notebook())
        self.notebook_pdf_action = QAction("Export Notebook as PDF…", window)
        self.notebook_pdf_action.triggered.connect(lambda: self.export_notebook_pdf())
        for action in (self.print_notebook_action, self.notebook_pdf_action):
            action.setEnabled(self.store is not None)
            action.setStatusTip("Every bookmark and note of this archive, with the notes in full")
        printing = [self.print_notebook_action, self.notebook_pdf_action]
        self.hooks.add_menu_items("file", [*printing, None], where="closing")

    def _context_menu_hook(self, menu: QMenu, record_id: str) -> None:
        bookmarked = self._is_bookmarked(record_id)
        text = "★ Remove Bookmark" if bookmarked else "☆ Bookmark"
        action = menu.addAction(text, lambda: self.toggle_bookmark(record_id))
        action.setShortcut(QKeySequence("Ctrl+D"))
        action.setEnabled(self.store is not None)

    def _selection_menu_hook(self, menu: QMenu, record_ids: list[str]) -> None:
        count = len(record_ids)
        # The Notebook offers this menu for a single selected row too.
        records = f"{count} Record" if count == 1 else f"{count} Records"
        bookmark = menu.addAction(f"☆ Bookmark {records}", lambda: self.bookmark_many(record_ids))
        bookmark.setEnabled(self.store is not None)
        tag = menu.addAction(f"Tag {records}…", lambda: self.tag_many(record_ids))
        tag.setEnabled(self.store is not None and self.store.read_only_reason is None)
        menu.addAction("Export Selection as CSV…", lambda: self.export_selection(record_ids))

    # ---------------------------------------------------------------- tabs and panels

    def attach_to_tabs(self) -> None:
        """Give every entity tab a notes panel and the context-menu entry (idempotent: the
        window rebuilds its tabs when another archive is opened)."""
        for type_name, tab in self.hooks.entity_tabs().items():
            if self._panel_tabs.get(type_name) is tab:
                continue
            panel = self._make_panel(tab.detail)
            self.hooks.add_detail_section(tab, panel)
            self.hooks.add_context_menu_entry(tab, self._context_menu_hook)
            self.hooks.add_selection_menu_entry(tab, self._selection_menu_hook)
            # Esc in the Add-tag field goes back to the table, as it does in the note.
            self._tags_bar(panel).escape_pressed.connect(tab.detail.escape_pressed)
            self._panels[type_name] = panel
            self._panel_tabs[type_name] = tab
            if tab.detail.record_id is not None:
                panel.set_record(tab.detail.record_id)

    def _make_panel(self, parent: QWidget) -> RecordNotesPanel:
        panel = RecordNotesPanel(self._store_getter, lambda: self.archive_id, parent)
        panel.bookmark_clicked.connect(self.toggle_bookmark)
        panel.notes_changed.connect(lambda record_id: self._on_notes_changed(panel, record_id))
        panel.save_failed.connect(self._on_save_failed)
        panel.set_disabled_reason(self.disabled_reason)
        bar = RecordTagsBar(self._store_getter, lambda: self.archive_id, panel)
        bar.tags_changed.connect(lambda _record_id: self._on_tags_changed(bar))
        panel.attach_tags_bar(bar)
        return panel

    @staticmethod
    def _tags_bar(panel: RecordNotesPanel) -> RecordTagsBar:
        assert panel.tags_bar is not None
        return panel.tags_bar

    def panel_for(self, record_id: str) -> RecordNotesPanel | None:
        type_name = self.hooks.archive.type_of(record_id)
        return self._panels.get(type_name or "")

    def panels(self) -> list[RecordNotesPanel]:
        """Every notes panel: one per entity tab, and the Notebook's."""
        return [*self._panels.values(), self.notebook_panel]

    def sync_archive(self) -> None:
        """Follow the window to another archive (its tabs are new; notes are per archive)."""
        if self.hooks.archive is self._archive:
            self.attach_to_tabs()
            return
        self.flush_all()
        for panel in self.panels():
            panel.set_record(None)
        self._panels.clear()
        self._panel_tabs.clear()
        self._archive = self.hooks.archive
        self.attach_to_tabs()
        self._remember_archive()
        self.notebook.mark_stale()
        self._update_bookmark_action()

    def _on_record_shown(self, record_id: str) -> None:
        self.sync_archive()
        self.flush_all()  # a record shown anywhere ends the typing elsewhere too
        panel = self.panel_for(record_id)
        if panel is not None:
            panel.set_record(record_id)
        self._update_bookmark_action()

    def _on_tab_changed(self) -> None:
        self.sync_archive()
        self._update_bookmark_action()

    # ---------------------------------------------------------------- bookmarks

    def current_record_id(self) -> str | None:
        """The record Ctrl+D acts on: the shown one, or the Notebook's selected row."""
        tab = self.hooks.current_entity_tab()
        if tab is not None:
            return tab.detail.record_id
        if self.hooks.is_current_tab(self.notebook):
            return self.notebook.current_record_id()
        return self.hooks.current_record_id()

    def _is_bookmarked(self, record_id: str) -> bool:
        if self.store is None:
            return False
        try:
            return self.store.is_bookmarked(self.archive_id, record_id)
        except UserStoreError:
            return False

    def toggle_current(self) -> bool | None:
        record_id = self.current_record_id()
        if record_id is None:
            self.hooks.show_status("Choose a record to bookmark first.", STATUS_MS)
            self._update_bookmark_action()
            return None
        return self.toggle_bookmark(record_id)

    def toggle_bookmark(self, record_id: str) -> bool | None:
        """Bookmark `record_id` or remove its bookmark; the new state (None on failure)."""
        if self.store is None:
            self._tell(f"Bookmarks are off. {self.disabled_reason}")
            return None
        self.sync_archive()
        try:
            bookmarked = self.store.toggle_bookmark(self.archive_id, record_id)
        except UserStoreError as error:
            self._tell(str(error))
            self._update_bookmark_action()
            return None
        title = self.hooks.archive.title_of(record_id) or record_id
        self.hooks.show_status(
            f"Bookmarked {title}." if bookmarked else f"Removed the bookmark of {title}.",
            STATUS_MS,
        )
        for panel in self.panels():
            if panel.record_id == record_id:
                panel.set_bookmarked(bookmarked)
        self._update_bookmark_action()
        self.notebook.mark_stale()
        return bookmarked

    def bookmark_many(self, record_ids: list[str]) -> int | None:
        """Bookmark every record of a selection (those already bookmarked stay so); how many
        bookmarks are new (None on failure)."""
        if self.store is None:
            self._tell(f"Bookmarks are off. {self.disabled_reason}")
            return None
        self.sync_archive()
        try:
            added = self.store.add_bookmarks(self.archive_id, record_ids)
        except UserStoreError as error:
            self._tell(str(error))
            return None
        count = len(record_ids)
        already = count - added
        message = f"Bookmarked {added} of {count} records"
        self._done(message + (f" ({already} already were)." if already else "."))
        for panel in self._panels.values():
            if panel.record_id in record_ids:
                panel.set_bookmarked(True)
        self._update_bookmark_action()
        self.notebook.mark_stale()
        return added

    def _update_bookmark_action(self) -> None:
        record_id = self.current_record_id()
        self.bookmark_action.setEnabled(self.store is not None and record_id is not None)
        self.bookmark_action.setChecked(record_id is not None and self._is_bookmarked(record_id))

    # ---------------------------------------------------------------- notes

    def _on_notes_changed(self, saved_by: RecordNotesPanel, record_id: str) -> None:
        for panel in self.panels():
            if panel is not saved_by and panel.record_id == record_id:
                panel.reload()  # the same note may be open in the Notebook and its tab
        self.notebook.mark_stale()

    # ---------------------------------------------------------------- tags

    def _on_tags_changed(self, changed_by: RecordTagsBar | None = None) -> None:
        """A tag was added, removed, renamed or merged: every record's tags, the known tags
        the fields complete, the Notebook's column and filter, and the dialog follow."""
        for panel in self.panels():
            bar = self._tags_bar(panel)
            if bar is not changed_by:  # it has shown the change, and says so
                bar.reload()
        if self.tags_dialog is not None and self.tags_dialog.isVisible():
            self.tags_dialog.refresh()
        self.notebook.mark_stale()

    def tag_many(self, record_ids: list[str]) -> TagRecordsDialog | None:
        """ "Tag N Records…": ask for one tag name, then add it to every record given."""
        if self.store is None:
            self._tell(f"Tags are off. {self.disabled_reason}")
            return None
        try:
            known = [name for name, _count in self.store.tag_counts()]
        except UserStoreError as error:
            self._tell(str(error))
            return None
        ids = list(record_ids)
        dialog = TagRecordsDialog(
            len(ids), known, lambda name: self.tag_records(ids, name), self.hooks.parent_widget
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _result: self._forget_tag_records_dialog(dialog))
        self.tag_records_dialog = dialog
        dialog.open()
        return dialog

    def _forget_tag_records_dialog(self, dialog: TagRecordsDialog) -> None:
        if self.tag_records_dialog is dialog:
            self.tag_records_dialog = None  # it deletes itself on closing

    def tag_records(self, record_ids: list[str], name: str) -> str | None:
        """Add the tag to every record in one transaction; None when done, else the store's
        sentence (and nothing changed)."""
        if self.store is None:
            return f"Tags are off. {self.disabled_reason}"
        self.sync_archive()
        try:
            spelling, added = self.store.add_tag_to_records(self.archive_id, record_ids, name)
        except UserStoreError as error:
            self.last_message = str(error)
            return str(error)
        count = len(set(record_ids))
        already = count - added
        message = f"Tagged {added} of {count} records with “{spelling}”"
        self._done(message + (f" ({already} already were)." if already else "."))
        self._on_tags_changed()
        return None

    def manage_tags(self) -> ManageTagsDialog:
        """The Notebook's Manage Tags…: every tag with its count, Rename and Merge into."""
        if self.tags_dialog is None:
            self.tags_dialog = ManageTagsDialog(self._store_getter, self.hooks.parent_widget)
            self.tags_dialog.tags_changed.connect(lambda: self._on_tags_changed())
        chosen = self.notebook.model.tag_filter
        self.tags_dialog.refresh(chosen=chosen)
        self.tags_dialog.show()
        self.tags_dialog.raise_()
        return self.tags_dialog

    def _on_save_failed(self, message: str) -> None:
        self.last_message = message
        self.hooks.show_status(f"{message} The note is kept in the editor.", STATUS_MS * 2)

    def flush_all(self) -> bool:
        """Save every unsaved note now (closing, quitting, exporting); False if one failed."""
        results = [panel.flush() for panel in self.panels()]
        return all(results)

    def unsaved_texts(self) -> list[str]:
        return [text for panel in self.panels() for text in panel.unsaved_texts()]

    # ---------------------------------------------------------------- leaving with unsaved text

    def _may_leave(self, proceed: Callable[[], object]) -> bool:
        """The window's leave guard: True when every note is saved (or the user discarded)."""
        if self.flush_all():
            return True
        if self.hooks.leaving_unattended:
            self._save_before_exit()
            return True
        self.ask_about_unsaved(proceed)
        return False

    def _save_before_exit(self) -> None:
        """No user to ask: keep trying a while (a lock may end), then write the text to a
        file and say where, on the status bar and standard error."""
        deadline = time.monotonic() + UNATTENDED_RETRY_SECONDS
        while time.monotonic() < deadline:
            time.sleep(0.2)
            if self.flush_all():
                return
        texts = self.unsaved_texts()
        if not texts:
            return
        stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
        body = UNSAVED_SEPARATOR.join(texts) + "\n"
        folders = [paths.user_data_dir(), Path.home()]
        for folder in folders:
            target = folder / f"unsaved-notes-{stamp}.txt"
            try:
                with target.open("x", encoding="utf-8") as file:
                    file.write(body)
            except OSError:
                continue
            self.rescue_file = target
            message = f"The notes that could not be saved were written to {target}."
            print(f"archive-browser: {message}", file=sys.stderr, flush=True)
            self.hooks.show_status(message, STATUS_MS)
            for panel in self.panels():
                panel.discard_unsaved()
            return
        print(
            "archive-browser: notes could not be saved, nor written to "
            f"{' or '.join(str(f) for f in folders)}:" + UNSAVED_SEPARATOR + body,
            file=sys.stderr,
            flush=True,
        )

    def ask_about_unsaved(self, proceed: Callable[[], object]) -> None:
        """Save Again / Keep Editing / Discard, with the text shown and Copy Text (a window-
        modal box that does not block: `proceed` runs once the user chooses to go on)."""
        texts = self.unsaved_texts()
        count = len(texts)
        reason = next((p.last_error for p in self.panels() if p.last_error), None)
        box = self.unsaved_box
        if box is None:
            box = QMessageBox(self.hooks.parent_widget)
            box.setIcon(QMessageBox.Icon.Warning)
            box.setWindowTitle("Unsaved notes")
            box.setTextFormat(Qt.TextFormat.PlainText)
            box.setWindowModality(Qt.WindowModality.WindowModal)
            box.addButton("Save Again", QMessageBox.ButtonRole.AcceptRole)
            box.addButton("Keep Editing", QMessageBox.ButtonRole.RejectRole)
            box.addButton("Discard", QMessageBox.ButtonRole.DestructiveRole)
            box.addButton("Copy Text", QMessageBox.ButtonRole.ActionRole)
            box.buttonClicked.connect(self._on_unsaved_answer)
            self.unsaved_box = box
        self._unsaved_proceed = proceed  # the latest action the user wanted
        notes = "1 note" if count == 1 else f"{count} notes"
        box.setText(f"{notes} could not be saved. {reason or ''}".strip())
        box.setInformativeText(
            "Save again, keep editing, or discard the text? The text is shown under "
            "Show Details; Copy Text puts it on the clipboard."
        )
        box.setDetailedText(UNSAVED_SEPARATOR.join(texts))
        self.hooks.show_status(box.text(), STATUS_MS * 2)
        if not box.isVisible():
            box.open()

    def unsaved_button(self, text: str) -> QAbstractButton | None:
        """The unsaved-notes box's button labelled `text` (tests press it)."""
        if self.unsaved_box is None:
            return None
        return next((b for b in self.unsaved_box.buttons() if b.text() == text), None)

    def _on_unsaved_answer(self, button: QAbstractButton) -> None:
        proceed = self._unsaved_proceed
        answer = button.text()
        if answer == "Copy Text":
            clipboard = QApplication.clipboard()
            clipboard.setText(UNSAVED_SEPARATOR.join(self.unsaved_texts()))
            self.hooks.show_status("The unsaved text is on the clipboard.", STATUS_MS)
            QTimer.singleShot(0, lambda: self.ask_about_unsaved(proceed))  # still undecided
        elif answer == "Save Again":
            if self.flush_all():
                QTimer.singleShot(0, proceed)
            else:
                QTimer.singleShot(0, lambda: self.ask_about_unsaved(proceed))
        elif answer == "Discard":
            for panel in self.panels():
                panel.discard_unsaved()
            QTimer.singleShot(0, proceed)
        else:  # Keep Editing
            for panel in self.panels():
                if panel.dirty and panel.isVisible():
                    panel.editor.setFocus(Qt.FocusReason.OtherFocusReason)

    def open_note(self, record_id: str, note_id: int = -1) -> None:
        """Show `record_id` (the Notebook's double-click / Enter), and its note `note_id`."""
        if not self.hooks.open_record(record_id):
            return
        panel = self.panel_for(record_id)
        if panel is not None and note_id >= 0:
            panel.select_note(note_id)

    def _notebook_rows(self) -> list[NotebookRow]:
        if self.store is None:
            return []
        return notebook_rows(self.store, self.hooks.archive)

    def search_notes(self, query: str) -> list[ResultItem]:
        """The global search's provider: note hits in their own group, "Notes"."""
        if self.store is None or not query.strip():
            return []
        archive = self.hooks.archive
        items = []
        for note in self.store.search_notes(archive.archive_id, query, NOTE_SEARCH_LIMIT):
            items.append(
                ResultItem(
                    "record",
                    archive.title_of(note.record_id) or note.record_id,
                    "Notes",
                    note.record_id,
                    archive.type_of(note.record_id),
                    escape_markup(note_snippet(note.text, query)),
                    "your note",
                )
            )
        return items

    # ---------------------------------------------------------------- exports

    def export_notes_csv(self, path: Path | None = None) -> bool:
        return self._export_notes("csv", path)

    def export_notes_markdown(self, path: Path | None = None) -> bool:
        return self._export_notes("md", path)

    def _export_notes(self, kind: str, path: Path | None) -> bool:
        from archive_browser.core.records import archive_record_info

        if self.store is None:
            self._tell(f"Cannot export notes: notes are off. {self.disabled_reason}")
            return False
        if path is None:
            path = self._choose_path(
                "Export notes and bookmarks",
                f"notes.{kind}",
                "CSV (*.csv)" if kind == "csv" else "Markdown (*.md)",
            )
            if path is None:
                return False
        self.flush_all()
        archive = self.hooks.archive
        info = archive_record_info(archive)
        try:
            if kind == "csv":
                count = export.write_notes_csv(
                    self.store, archive.archive_id, info, path, export.default_csv_delimiter()
                )
                what = f"{count} {'row' if count == 1 else 'rows'}"
            else:
                count = export.write_notes_markdown(
                    self.store, archive.archive_id, info, path, archive.title, fields=archive.fields
                )
                what = f"{count} {'record' if count == 1 else 'records'}"
        except (OSError, UserStoreError) as error:
            self._tell(str(error))
            return False
        self._done(f"Exported {what} of notes and bookmarks to {path}.")
        return True

    def export_selection(self, record_ids: list[str], path: Path | None = None) -> bool:
        """The selected rows' records as CSV (id, type, title, archival references)."""
        from archive_browser.core.records import archive_record_info

        if path is None:
            path = self._choose_path("Export the selected records", "records.csv", "CSV (*.csv)")
            if path is None:
                return False
        try:
            count = export.write_records_csv(
                record_ids, archive_record_info(self.hooks.archive), path
            )
        except OSError as error:
            self._tell(str(error))
            return False
        self._done(f"Exported {count} {'record' if count == 1 else 'records'} to {path}.")
        return True

    def notebook_page(self) -> str:
        self.flush_all()
        return notebook_html(self._notebook_rows(), self.hooks.archive.title)

    def print_notebook(self) -> bool:
        if self.store is None:
            self._tell(f"Cannot print the Notebook: notes are off. {self.disabled_reason}")
            return False
        return print_html(self.notebook_page(), "Notebook", self.hooks.parent_widget)

    def export_notebook_pdf(self, path: Path | None = None) -> bool:
        if self.store is None:
            self._tell(f"Cannot export the Notebook: notes are off. {self.disabled_reason}")
            return False
        if path is None:
            path = choose_pdf_path(
                self.hooks.parent_widget, "Export the Notebook as PDF", "notebook.pdf"
            )
            if path is None:
                return False
        try:
            pages = write_pdf(self.notebook_page(), "Notebook", path)
        except (PrintError, UserStoreError) as error:
            self._tell(str(error))
            return False
        self._done(
            f"Saved the Notebook as a PDF of {pages} {'page' if pages == 1 else 'pages'}: {path}."
        )
        return True

    def export_sources_csl_json(self, path: Path | None = None) -> bool:
        if path is None:
            path = self._choose_path(
                "Export sources for Zotero", "sources.json", "CSL-JSON (*.json)"
            )
            if path is None:
                return False
        try:
            count = export.write_sources_csl_json(self.hooks.archive.all_rows("source"), path)
        except OSError as error:
            self._tell(str(error))
            return False
        self._done(f"Exported {count} sources as CSL-JSON to {path}.")
        return True

    def _choose_path(self, caption: str, name: str, file_filter: str) -> Path | None:
        start = str(paths.default_file_folder() / name)
        chosen, _ = QFileDialog.getSaveFileName(
            self.hooks.parent_widget, caption, start, file_filter
        )
        if not chosen:
            return None
        path = Path(chosen)
        # A name typed without an extension gets the format's, as Excel and Zotero expect.
        return path if path.suffix else path.with_suffix(Path(name).suffix)

    def _done(self, message: str) -> None:
        self.last_message = message
        self.hooks.show_status(message, STATUS_MS)

    def _tell(self, message: str) -> None:
        """A problem the user must see: the status bar and a non-blocking message box."""
        self.last_message = message
        self.hooks.show_status(message, STATUS_MS * 2)
        box = QMessageBox(
            QMessageBox.Icon.Warning, "Archive Browser", message, parent=self.hooks.parent_widget
        )
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setWindowModality(Qt.WindowModality.NonModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.show()


def install_notes(hooks: WindowHooks) -> NotesController:
    """Attach bookmarks, notes, the Notebook and the exports to the window (once); the
    controller is `hooks.feature(NotesController)`."""
    return hooks.install_once(NotesController, lambda: NotesController(hooks))
