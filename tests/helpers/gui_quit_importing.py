"""Start the real window offscreen, start importing a big file, and quit the program while
the import runs (issue 24 finding 13: quitting during an import aborted the process).

    python gui_quit_importing.py ARCHIVE FILE

Prints "importing" once the worker runs and "quit" just before the event loop ends; the
exit code is the program's (0 expected; 134 was SIGABRT).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")

from PySide6.QtCore import QTimer

from archive_browser.core.archive import Archive
from archive_browser.ui.app import create_window, ensure_application, make_settings
from archive_browser.ui.features.library import ArchiveActions
from archive_browser.ui.hooks import hooks_of


def main() -> int:
    archive_path, file = Path(sys.argv[1]), Path(sys.argv[2])
    app = ensure_application()
    window = create_window(Archive.open(archive_path), make_settings())
    window.show()
    hooks = hooks_of(window)
    assert hooks is not None
    actions = hooks.feature(ArchiveActions)
    assert actions is not None

    def start() -> None:
        dialog = actions.import_file(file)
        dialog.accept()
        print("importing" if actions.importing else "not importing", flush=True)
        QTimer.singleShot(300, quit_now)

    def quit_now() -> None:
        print("quit" if actions.importing else "finished too early", flush=True)
        app.quit()

    QTimer.singleShot(0, start)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
