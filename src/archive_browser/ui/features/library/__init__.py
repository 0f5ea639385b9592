"""File ▸ Open archive, Open recent, Import, New import template.

The import runs `core.build.build_archive` — the same importer the bundled archive is built
with — on a worker thread, behind a progress dialog; every problem it finds is shown as
`file:line: message` and nothing is written unless all is valid.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QThread, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QMenu,
    QMessageBox,
    QProgressDialog,
)

from archive_browser.core.archive import Archive, ArchiveError
from archive_browser.core.paths import default_file_folder
from archive_browser.core.store import UserStore, UserStoreError
from archive_browser.ui.hooks import WindowHooks
from archive_browser.ui.widgets import messages

if TYPE_CHECKING:
    from archive_browser.core.importer import BuildReport

# core.build (sqlite-utils, the citation and date parsers) is imported by the actions that
# import: a quarter of a second that start-up would otherwise pay for every user.

# Where versions before the user store kept the recent list (moved into the store once).
LEGACY_RECENT_KEY = "archives/recent"
RECENT_LIMIT = 10


class ImportWorker(QObject):
    """Runs one import on a thread; reports progress and the outcome by signal."""

    progress = Signal(str, int, int)
    succeeded = Signal(object)  # BuildReport
    failed = Signal(list)  # list[str]: the problems, one line each

    def __init__(self, inputs: list[Path], out: Path, title: str | None) -> None:
        super().__init__()
        self.inputs = inputs
        self.out = out
        self.title = title

    def run(self) -> None:
        from archive_browser.core import importer as build

        try:
            report = build.build_archive(
                self.inputs, self.out, title=self.title, progress=self.progress.emit
            )
        except build.BuildError as exc:
            self.failed.emit([str(p) for p in exc.problems] + [str(exc)])
        except OSError as exc:
            # An UnsafeTargetError (a FIFO, link or device at the target) is its own sentence.
            reason = f"Cannot write {self.out}: {exc.strerror}." if exc.strerror else str(exc)
            self.failed.emit([reason])
        else:
            self.succeeded.emit(report)


class ArchiveActions(QObject):
    """The File-menu actions that change which archive the window shows."""

    def __init__(self, hooks: WindowHooks) -> None:
        window = hooks.parent_widget
        super().__init__(window)
        self.hooks = hooks
        self.window = window  # the parent of the dialogs
        self.settings = hooks.settings
        self._thread: QThread | None = None
        self._worker: ImportWorker | None = None
        self._dialog: QProgressDialog | None = None
        self.last_problems: list[str] = []
        self._legacy_list_moved = False

        self.open_action = QAction("&Open Archive…", window)
        self.open_action.setShortcut(QKeySequence.StandardKey.Open)
        self.open_action.triggered.connect(self.choose_archive)
        self.recent_menu = QMenu("Open &Recent", window)
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self.import_action = QAction("&Import Finding Aid…", window)
        self.import_action.setShortcut(QKeySequence("Ctrl+I"))
        self.import_action.triggered.connect(self.choose_import)
        self.template_action = QAction("New Import &Template…", window)
        self.template_action.triggered.connect(self.choose_template_folder)
        self.remember(hooks.archive)

    def install(self) -> None:
        items = [self.open_action, self.recent_menu, None]
        items += [self.import_action, self.template_action, None]
        self.hooks.add_menu_items("file", items, where="top")

    # ------------------------------------------------------------ recent archives

    def recent(self) -> list[str]:
        """Recently opened archives, latest first: kept in the user store, which survives a
        reset of the settings (and is where a library of collections will live)."""
        store = self._store()
        if store is None:
            return []
        try:
            return [path for path, _, _ in store.recent_archives(RECENT_LIMIT)]
        except UserStoreError:
            return []

    def remember(self, archive: Archive) -> None:
        store = self._store()
        if store is None:
            return
        try:
            store.remember_archive(archive.path.resolve(), archive.archive_id, archive.title)
        except UserStoreError:  # the recent list is a convenience; never fail an open on it
            pass

    def _store(self) -> UserStore | None:
        """The window's user store, with any list an older version kept in the settings moved
        into it once; None when the store cannot be opened (the notes say why)."""
        store = self.hooks.user_store()
        if store is not None and not self._legacy_list_moved:
            self._legacy_list_moved = True
            self._move_settings_list(store)
        return store

    def _move_settings_list(self, store: UserStore) -> None:
        value = self.settings.value(LEGACY_RECENT_KEY, [])
        if not value:
            return
        # QSettings gives a one-item list back as a plain string; anything else is not a list
        # this program wrote, and goes with the key.
        if isinstance(value, str):
            paths = [value]
        elif isinstance(value, list):
            paths = [str(p) for p in value if p]
        else:
            paths = []
        try:
            for path in reversed(paths):  # oldest first, so the latest ends on top
                store.remember_archive(path, "", "")
        except UserStoreError:
            return
        self.settings.remove(LEGACY_RECENT_KEY)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for path in self.recent():
            action = self.recent_menu.addAction(path)
            action.triggered.connect(lambda _=False, p=path: self.open_archive(Path(p)))
        if self.recent_menu.isEmpty():
            self.recent_menu.addAction("(none yet)").setEnabled(False)

    # ------------------------------------------------------------ opening

    def choose_archive(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self.window,
            "Open Archive",
            str(default_file_folder()),
            "Archive databases (*.db *.sqlite *.sqlite3);;All files (*)",
        )
        if name:
            self.open_archive(Path(name))

    def open_archive(self, path: Path) -> bool:
        """Open `path`; on failure say why and keep the current archive open."""
        if not self.hooks.may_leave(lambda: self.open_archive(path)):
            return False  # unsaved text: the user is asked first
        try:
            archive = Archive.open(path)
        except ArchiveError as exc:
            messages.warn(self.window, "Open Archive", str(exc))
            self.hooks.show_status(str(exc), 8000)
            return False
        old = self.hooks.archive
        self.hooks.set_archive(archive)
        if old is not archive:
            old.close()
        self.remember(archive)
        self.hooks.show_status(f"Opened {archive.title} ({path}).", 5000)
        return True

    # ------------------------------------------------------------ importing

    def choose_import(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self.window, "Folder of the finding aid", str(default_file_folder())
        )
        if not folder:
            return
        out, _ = QFileDialog.getSaveFileName(
            self.window,
            "Save the new archive as",
            str(Path(folder).with_suffix(".db")),
            "Archive databases (*.db)",
        )
        if out:
            self.start_import([Path(folder)], Path(out))

    def start_import(self, inputs: list[Path], out: Path, title: str | None = None) -> None:
        self.last_problems = []
        self._dialog = QProgressDialog("Reading the finding aid…", "", 0, 0, self.window)
        self._dialog.setWindowTitle("Import")
        self._dialog.setCancelButton(None)  # a half-finished import writes nothing anyway
        self._dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self._dialog.setMinimumDuration(300)
        self._thread = QThread(self)
        self._worker = ImportWorker(inputs, out, title)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.progress.connect(self._on_progress)
        self._worker.succeeded.connect(self._on_succeeded)
        self._worker.failed.connect(self._on_failed)
        self._worker.succeeded.connect(self._thread.quit)
        self._worker.failed.connect(self._thread.quit)
        self._thread.finished.connect(self._finished)
        self._thread.start()

    @property
    def importing(self) -> bool:
        return self._thread is not None

    def _on_progress(self, stage: str, done: int, total: int) -> None:
        if self._dialog is None:
            return
        labels = {"read": "Reading files…", "write": "Writing records…", "index": "Indexing…"}
        self._dialog.setLabelText(labels.get(stage, stage))
        self._dialog.setMaximum(max(total, 1))
        self._dialog.setValue(min(done, max(total, 1)))

    def _on_succeeded(self, report: BuildReport) -> None:
        self._close_dialog()
        self.last_problems = [str(p) for p in report.warnings]
        text = (
            f"Imported {report.records} records, {report.links} links and "
            f"{report.citations} archival references into {report.path}."
        )
        if self.last_problems:
            text += "\n\nWarnings:\n" + "\n".join(self.last_problems[:30])
        answer = messages.ask(
            self.window,
            "Import",
            text + "\n\nOpen the new archive now?",
            QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Close,
        )
        if answer == QMessageBox.StandardButton.Open:
            self.open_archive(report.path)

    def _on_failed(self, problems: list[str]) -> None:
        self._close_dialog()
        self.last_problems = problems
        box = messages.plain_box(
            self.window,
            QMessageBox.Icon.Warning,
            "Import",
            "The finding aid has problems; nothing was written.",
            informative="\n".join(problems[:12]),
            details="\n".join(problems),
        )
        box.open()

    def _close_dialog(self) -> None:
        if self._dialog is not None:
            self._dialog.reset()
            self._dialog.deleteLater()
            self._dialog = None

    def _finished(self) -> None:
        if self._thread is not None:
            self._thread.deleteLater()
        if self._worker is not None:
            self._worker.deleteLater()
        self._thread = None
        self._worker = None

    # ------------------------------------------------------------ templates

    def choose_template_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self.window, "Write the import templates to", str(default_file_folder())
        )
        if folder:
            self.write_templates(Path(folder))

    def write_templates(self, folder: Path) -> list[Path]:
        from archive_browser.core import importer as build

        try:
            written = build.write_templates(folder)
        except OSError as exc:
            messages.warn(
                self.window, "Import template", f"Cannot write to {folder}: {exc.strerror}."
            )
            return []
        self.hooks.show_status(f"Wrote {len(written)} template files to {folder}.", 8000)
        return written


def install_archive_actions(hooks: WindowHooks) -> ArchiveActions:
    """Put the archive actions into the File menu (once); they are
    `hooks.feature(ArchiveActions)`."""

    def make() -> ArchiveActions:
        actions = ArchiveActions(hooks)
        actions.install()
        return actions

    return hooks.install_once(ArchiveActions, make)
