"""The features that attach themselves to the main window, each through one function.

Each feature lives in its own module and hooks into the window's extension points (see
`main_window`); the window calls `install_features` once, before it restores its settings,
so a remembered tab such as the Notebook already exists.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from archive_browser.ui.widgets.main_window import MainWindow


def install_features(window: MainWindow) -> None:
    from archive_browser.ui.features.citations import install_citations
    from archive_browser.ui.features.library import install_archive_actions
    from archive_browser.ui.features.notes import install_notes
    from archive_browser.ui.features.pictures import install_pictures

    install_notes(window)  # first: the archive actions record recent archives in its store
    install_archive_actions(window)
    install_citations(window)
    install_pictures(window)
