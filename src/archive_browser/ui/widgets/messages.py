"""Message boxes whose text is never live: the one home of the program's dialogs.

A message often carries text from a file (an archive's title, a path, an import's
problems). Qt reads a message box's text as HTML when it looks like HTML, and its labels
open external links by themselves (`QLabel.openExternalLinks` is on in a QMessageBox): an
archive titled `<a href="file:///etc/passwd">x</a>` would put a live link in the dialog.
Every label of a box made here shows plain text and opens nothing; text can still be
selected and copied.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

Icon = QMessageBox.Icon
Button = QMessageBox.StandardButton
_SELECTABLE = Qt.TextInteractionFlag.TextSelectableByMouse


def make_inert(box: QMessageBox) -> QMessageBox:
    """Every label of `box` as plain, link-free text (call after its texts are set)."""
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setTextInteractionFlags(_SELECTABLE)
    for label in box.findChildren(QLabel):
        label.setOpenExternalLinks(False)
        if not label.pixmap().isNull():  # the icon's label: a picture, nothing to select
            label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
            continue
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setTextInteractionFlags(_SELECTABLE)
        label.setWordWrap(True)
    return box


def plain_box(
    parent: QWidget | None,
    icon: QMessageBox.Icon,
    title: str,
    text: str,
    *,
    informative: str = "",
    details: str = "",
    buttons: QMessageBox.StandardButton = Button.Ok,
) -> QMessageBox:
    """A message box of plain text (see the module doc); shown by the caller."""
    box = QMessageBox(icon, title, text, buttons, parent)
    if informative:
        box.setInformativeText(informative)
    if details:
        box.setDetailedText(details)
    return make_inert(box)


def warn(parent: QWidget | None, title: str, text: str, *, details: str = "") -> None:
    """A modal warning of plain text."""
    plain_box(parent, Icon.Warning, title, text, details=details).exec()


def inform(parent: QWidget | None, title: str, text: str) -> None:
    """A modal information box of plain text."""
    plain_box(parent, Icon.Information, title, text).exec()


def ask(
    parent: QWidget | None,
    title: str,
    text: str,
    buttons: QMessageBox.StandardButton,
    *,
    details: str = "",
) -> QMessageBox.StandardButton:
    """A modal question of plain text; the button chosen."""
    box = plain_box(parent, Icon.Question, title, text, details=details, buttons=buttons)
    # exec() answers the standard button clicked (as an int).
    return QMessageBox.StandardButton(box.exec())
