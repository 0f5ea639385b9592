"""The mouse's Back and Forward buttons, anywhere in a window, as Go ▸ Back and Forward."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QWidget

_PRESS = QEvent.Type.MouseButtonPress
_BACK = Qt.MouseButton.BackButton
_FORWARD = Qt.MouseButton.ForwardButton


class BackForwardButtons(QObject):
    """An application-wide event filter: it sees every event, so it decides in two tests."""

    def __init__(
        self, window: QWidget, go_back: Callable[[], None], go_forward: Callable[[], None]
    ) -> None:
        super().__init__(window)
        self._window = window
        self._go_back = go_back
        self._go_forward = go_forward

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != _PRESS or not isinstance(event, QMouseEvent):
            return False
        button = event.button()
        if button not in (_BACK, _FORWARD):
            return False
        if not (isinstance(watched, QWidget) and watched.window() is self._window):
            return False
        if button == _BACK:
            self._go_back()
        else:
            self._go_forward()
        return True
