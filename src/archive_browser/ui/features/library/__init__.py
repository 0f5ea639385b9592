"""File ▸ Open archive, Open recent, Import (a folder of the seven CSV files, or a single
file: CSV/TSV/XLSX/EAD/ISAD(G) CSV through the mapping dialog), New import template.

The import runs the core importer — the same code the bundled archive is built with — on a
worker thread, behind a progress dialog with a working Cancel; every problem it finds is
shown as `file:line: message` (the first 50, then a count) and nothing is written unless all
is valid. A single file is checked in full before the dialog asks where to save it. Every
failure (a full disk, a read-only folder, an unexpected error) ends in a dialog; closing the
window during an import cancels it and waits for the thread, so nothing aborts.
"""

from __future__ import annotations

import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, Signal
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
    from archive_browser.core.importer import BuildReport, Dataset, Problem
    from archive_browser.core.importer.single import ImportPlan
    from archive_browser.ui.features.library.import_dialog import ImportFileDialog

# core.build (sqlite-utils, the citation and date parsers) is imported by the actions that
# import: a quarter of a second that start-up would otherwise pay for every user.

# Where versions before the user store kept the recent list (moved into the store once).
LEGACY_RECENT_KEY = "archives/recent"
RECENT_LIMIT = 10


class ImportWorker(QObject):
    """Runs one import step on a thread; reports progress and the outcome by signal.

    `job(progress)` returns the outcome; the progress callback raises ImportCancelled once
    Cancel was pressed, so the step stops at its next report and writes nothing.
    """

    progress = Signal(str, int, int)
    succeeded = Signal(object)  # whatever the job returns
    failed = Signal(list)  # list[str]: the problems, one line each
    cancelled = Signal()

    def __init__(self, job: Callable[[Callable[[str, int, int], None]], object], out: Path) -> None:
        super().__init__()
        self.job = job
        self.out = out
        self.cancel_requested = threading.Event()

    def _report(self, stage: str, done: int, total: int) -> None:
        from archive_browser.core.importer import ImportCancelled

        if self.cancel_requested.is_set():
            raise ImportCancelled
        self.progress.emit(stage, done, total)

    def run(self) -> None:
        from archive_browser.core import importer as build

        try:
            outcome = self.job(self._report)
        except build.ImportCancelled:
            self.cancelled.emit()
        except build.BuildError as exc:
            self.failed.emit([*build.problem_lines(exc.problems), str(exc)])
        except OSError as exc:
            # An UnsafeTargetError (a FIFO, link or device at the target) is its own sentence.
            reason = f"Cannot write {self.out}: {exc.strerror}" if exc.strerror else str(exc)
            self.failed.emit([f"{reason.rstrip('.')}; nothing was written."])
        except Exception as exc:  # any failure must end in a dialog, never a hang
            detail = traceback.format_exception_only(type(exc), exc)[-1].strip()
            self.failed.emit(
                [f"The import of {self.out.name} failed: {detail}; nothing was written."]
            )
        else:
            self.succeeded.emit(outcome)


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
        self.import_action = QAction("&Import Finding Aid Folder…", window)
        self.import_action.triggered.connect(self.choose_import)
        self.import_file_action = QAction("&Import File (CSV, XLSX, EAD)…", window)
        self.import_file_action.setShortcut(QKeySequence("Ctrl+I"))
        self.import_file_action.triggered.connect(self.choose_import_file)
        self.mapping_dialog: ImportFileDialog | None = None
        self._on_success: Callable[[Any], None] = self._on_succeeded
        self._outcome: tuple[object] | None = None
        self.cancelled = False
        hooks.closing.connect(self.stop_import)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.stop_import)
        self.template_action = QAction("New Import &Template…", window)
        self.template_action.triggered.connect(self.choose_template_folder)
        self.remember(hooks.archive)

    def install(self) -> None:
        items = [self.open_action, self.recent_menu, None]
        items += [self.import_file_action, self.import_action, self.template_action, None]
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
        if folder:
            self.check_folder(Path(folder))

    def check_folder(self, folder: Path) -> None:
        """Read and validate the seven files first; ask where to save only when all is valid."""

        def job(progress: Callable[[str, int, int], None]) -> tuple[Dataset, list[Problem]]:
            from archive_browser.core import importer as build

            dataset, problems = build.read_dataset([folder], progress)
            problems.extend(build.validate(dataset))
            if any(not p.warning for p in problems):
                raise build.BuildError(problems)
            return dataset, problems

        self._run(
            job,
            folder,
            f"Checking {folder.name}…",
            lambda checked: self._save_checked(
                checked[0], checked[1], folder.with_suffix(".db"), None
            ),
        )

    def start_import(self, inputs: list[Path], out: Path, title: str | None = None) -> None:
        """Import the seven-file format from `inputs` into `out`."""

        def job(progress: Callable[[str, int, int], None]) -> BuildReport:
            from archive_browser.core import importer as build

            return build.build_archive(inputs, out, title=title, progress=progress)

        self._run(job, out, "Reading the finding aid…", self._on_succeeded)

    def _run(
        self,
        job: Callable[[Callable[[str, int, int], None]], object],
        out: Path,
        label: str,
        on_success: Callable[[Any], None],
    ) -> None:
        if self.importing:
            self.hooks.show_status("An import is running already.", 5000)
            return
        self.last_problems = []
        self.cancelled = False
        self._on_success = on_success
        self._dialog = QProgressDialog(label, "Cancel", 0, 0, self.window)
        self._dialog.setWindowTitle("Import")
        self._dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self._dialog.setMinimumDuration(300)
        self._dialog.setAutoClose(False)
        self._dialog.setAutoReset(False)
        self._dialog.canceled.connect(self.cancel_import)
        self._thread = QThread(self)
        self._worker = ImportWorker(job, out)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.progress.connect(self._on_progress)
        self._worker.succeeded.connect(self._succeeded)
        self._worker.failed.connect(self._on_failed)
        self._worker.cancelled.connect(self._on_cancelled)
        for signal in (self._worker.succeeded, self._worker.failed, self._worker.cancelled):
            signal.connect(self._thread.quit)
        self._thread.finished.connect(self._finished)
        self._thread.start()

    def cancel_import(self) -> None:
        """Stop the running import at its next progress report; it writes nothing."""
        if self._worker is not None:
            self._worker.cancel_requested.set()
            if self._dialog is not None:
                self._dialog.setLabelText("Cancelling…")

    def stop_import(self) -> None:
        """The window closes or the program quits: cancel and wait, so no thread outlives it."""
        thread = self._thread
        if thread is None:
            return
        self.cancel_import()
        thread.quit()
        thread.wait()
        self._outcome = None  # the window is going: no next step, no question
        self._close_dialog()
        self._finished()

    def _succeeded(self, outcome: object) -> None:
        # Acted on once the thread has finished, so a next step can start its own.
        self._outcome = (outcome,)

    def _on_cancelled(self) -> None:
        self._close_dialog()
        self.cancelled = True
        self.hooks.show_status("Import cancelled; nothing was written.", 8000)

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
        # Also on stderr, as the command line prints them: a terminal keeps what a box hides.
        print("\n".join(problems), file=sys.stderr)
        box = messages.plain_box(
            self.window,
            QMessageBox.Icon.Warning,
            "Import",
            "The finding aid has problems; nothing was written.",
            informative="\n".join(line[:300] for line in problems[:12]),
            details="\n".join(problems[:60]),
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
        outcome, self._outcome = self._outcome, None
        if outcome is not None:
            self._on_success(outcome[0])

    # ------------------------------------------------------------ a single file

    def choose_import_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self.window,
            "Import a file",
            "",
            "Finding aids (*.csv *.tsv *.txt *.xlsx *.xml);;All files (*)",
        )
        if name:
            self.import_file(Path(name))

    def import_file(self, path: Path) -> ImportFileDialog:
        """Open the mapping dialog for `path`; accepting it checks the whole file."""
        from archive_browser.ui.features.library.import_dialog import ImportFileDialog

        dialog = ImportFileDialog(path, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._check_file(dialog.plan))
        dialog.rejected.connect(self._forget_mapping_dialog)
        self.mapping_dialog = dialog
        dialog.open()
        return dialog

    def _forget_mapping_dialog(self) -> None:
        self.mapping_dialog = None

    def _check_file(self, plan: ImportPlan | None) -> None:
        self.mapping_dialog = None
        if plan is None:
            return

        def job(progress: Callable[[str, int, int], None]) -> tuple[Dataset, list[Problem]]:
            from archive_browser.core.importer.single import check_plan

            return check_plan(plan, progress)

        self._run(
            job,
            plan.path,
            f"Checking {plan.path.name}…",
            lambda checked: self._ask_where_to_save(plan, *checked),
        )

    def default_collection_path(self, plan: ImportPlan) -> Path:
        from archive_browser.core import paths

        return paths.collections_dir() / f"{plan.path.stem}.db"

    def _ask_where_to_save(
        self, plan: ImportPlan, dataset: Dataset, warnings: list[Problem]
    ) -> None:
        default = self.default_collection_path(plan)
        try:
            default.parent.mkdir(parents=True, exist_ok=True)
        except OSError:
            default = plan.path.with_suffix(".db")
        title = dataset.meta.get("title") or plan.path.stem
        self._save_checked(dataset, warnings, default, title, collection=True)

    def _save_checked(
        self,
        dataset: Dataset,
        warnings: list[Problem],
        default: Path,
        title: str | None,
        collection: bool = False,
    ) -> None:
        """Ask where to save a checked dataset, then write it (progress, Cancel)."""
        self._close_dialog()
        name, _ = QFileDialog.getSaveFileName(
            self.window,
            f"Checked {dataset.record_count} records: save the new archive as",
            str(default),
            "Archive databases (*.db)",
        )
        if not name:
            return
        out = Path(name)
        archive_id = f"collection:{out.stem}" if collection else None

        def job(progress: Callable[[str, int, int], None]) -> BuildReport:
            from archive_browser.core.importer import write_archive

            return write_archive(
                dataset,
                out,
                archive_id=archive_id,
                title=title,
                progress=progress,
                warnings=warnings,
            )

        self._run(job, out, f"Writing {out.name}…", self._on_succeeded)

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
