"""Start the real window offscreen and import FILE into TARGET through File ▸ Import File,
where the write cannot succeed (issue 24 finding 13: a full disk or a read-only folder left a
progress dialog without Cancel forever, or nothing happened).

    python gui_import_failing.py ARCHIVE FILE TARGET

The save dialog answers TARGET. Prints "failed" and the failure box's details when the box
opens, then "progress dialog gone" if no progress dialog is left, and quits (exit 0). A hang
shows as the caller's timeout; a success prints "imported".
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog

from archive_browser.core.archive import Archive
from archive_browser.ui.app import create_window, ensure_application, make_settings
from archive_browser.ui.features.library import ArchiveActions
from archive_browser.ui.hooks import hooks_of


def main() -> int:
    archive_path, file, target = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    app = ensure_application()
    window = create_window(Archive.open(archive_path), make_settings())
    window.show()
    hooks = hooks_of(window)
    assert hooks is not None
    actions = hooks.feature(ArchiveActions)
    assert actions is not None

    def save_as(*_args: object, **_kwargs: object) -> tuple[str, str]:
        return (target, "")

    def failure_box_opened(box: QMessageBox) -> None:
        print("failed", flush=True)
        print(box.detailedText(), flush=True)
        QTimer.singleShot(0, report_and_quit)

    def report_and_quit() -> None:
        progress = [d for d in window.findChildren(QProgressDialog) if d.isVisible()]
        print("progress dialog gone" if not progress else "progress dialog left", flush=True)
        app.quit()

    def asked(box: QMessageBox) -> int:  # the success question: "Open the new archive now?"
        print("imported", flush=True)
        QTimer.singleShot(0, app.quit)
        return QMessageBox.StandardButton.Close.value

    QFileDialog.getSaveFileName = save_as  # type: ignore[method-assign,assignment]
    QMessageBox.open = failure_box_opened  # type: ignore[method-assign,assignment]
    QMessageBox.exec = asked  # type: ignore[method-assign,assignment]

    def start() -> None:
        actions.import_file(file).accept()

    QTimer.singleShot(0, start)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
