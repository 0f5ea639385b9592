"""Help ▸ User Guide: the bundled, offline guide (`resources/guide/guide.html`, read with
importlib.resources through `core.paths.resources_dir`) in a text browser of its own.

The page is the program's own HTML. Links inside it (`#section`) scroll the page; no link
is ever handed to a web browser or another program, so the guide works without a network
and nothing in it can open anything outside the window.
"""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from archive_browser.core.paths import resources_dir
from archive_browser.ui.hooks import WindowHooks

GUIDE_FILE = ("guide", "guide.html")


def guide_html() -> str:
    """The guide's page, as shipped with the program."""
    path = resources_dir().joinpath(*GUIDE_FILE)
    return path.read_text(encoding="utf-8")


class GuideDialog(QDialog):
    """The guide in a window of its own, beside the main window (not modal)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Archive Browser — User Guide")
        self.browser = QTextBrowser(self)
        # Nothing leaves the program: no external browser, and no navigation to any other
        # page; only the page's own #anchors are followed.
        self.browser.setOpenExternalLinks(False)
        self.browser.setOpenLinks(False)
        self.browser.anchorClicked.connect(self._follow)
        self.browser.setHtml(guide_html())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        self.resize(640, 720)

    def _follow(self, url: QUrl) -> None:
        if url.scheme() == "" and url.path() == "" and url.fragment():
            self.browser.scrollToAnchor(url.fragment())


class UserGuide:
    """The Help menu's User Guide action and its dialog (made when first asked for)."""

    def __init__(self, hooks: WindowHooks) -> None:
        self.hooks = hooks
        self.dialog: GuideDialog | None = None
        self.action = QAction("&User Guide", hooks.parent_widget)
        self.action.setShortcut(QKeySequence.StandardKey.HelpContents)
        self.action.setStatusTip("How to use Archive Browser (offline)")
        self.action.triggered.connect(lambda: self.show_guide())
        hooks.add_menu_items("help", [self.action, None], where="top")

    def show_guide(self) -> GuideDialog:
        if self.dialog is None:
            self.dialog = GuideDialog(self.hooks.parent_widget)
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()
        return self.dialog


def install_guide(hooks: WindowHooks) -> UserGuide:
    """Help ▸ User Guide (once per window)."""
    return hooks.install_once(UserGuide, lambda: UserGuide(hooks))
