"""Running archive queries off the GUI thread, newest request wins.

A `QueryRunner` runs a function `fn(reader)` in the thread pool with an `ArchiveReader` on
a read-only connection of its own (`archive.reader()`), then delivers the result on the GUI
thread by the signal `finished(generation, result)` — but only for the newest request:
submitting a new one interrupts the older queries still running (`reader.interrupt()`) and
drops their results.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from archive_browser.core.archive import Archive, ArchiveReader

QueryFunction = Callable[[ArchiveReader], Any]


class _Relay(QObject):
    """Carries a worker's outcome across threads (queued to the GUI thread)."""

    done = Signal(int, object)
    failed = Signal(int, str)


class _Query(QRunnable):
    def __init__(self, runner: QueryRunner, generation: int, fn: QueryFunction) -> None:
        super().__init__()
        self._runner = runner
        self._relay = runner._relay
        self._generation = generation
        self._fn = fn

    def run(self) -> None:
        if not self._runner._is_current(self._generation):
            return
        try:
            reader = self._runner._open(self._generation)
        except sqlite3.Error as exc:
            self._emit_failure(str(exc))
            return
        try:
            result = self._fn(reader)
        except sqlite3.Error as exc:
            # An interrupt is a cancel (a newer query), unless the clock stopped the query.
            if reader.timed_out or "interrupt" not in str(exc):
                self._emit_failure(reader.failure_message(exc))
            return
        except Exception as exc:  # a worker must never take the program down
            self._emit_failure(f"{type(exc).__name__}: {exc}")
            return
        finally:
            self._runner._close(self._generation, reader)
        try:
            self._relay.done.emit(self._generation, result)
        except RuntimeError:  # the window closed while the query ran
            pass

    def _emit_failure(self, message: str) -> None:
        try:
            self._relay.failed.emit(self._generation, message)
        except RuntimeError:
            pass


class QueryRunner(QObject):
    """Run `fn(reader)` off the GUI thread; `finished` only ever carries the newest result."""

    finished = Signal(int, object)
    failed = Signal(int, str)

    def __init__(
        self, archive: Archive, parent: QObject | None = None, pool: QThreadPool | None = None
    ) -> None:
        super().__init__(parent)
        self.archive = archive
        self._pool = pool or QThreadPool.globalInstance()
        self._lock = threading.Lock()
        self._generation = 0
        self._delivered = 0  # the newest generation whose outcome is in (or was dropped)
        self._readers: dict[int, ArchiveReader] = {}
        self._relay = _Relay()
        self._relay.done.connect(self._on_done)
        self._relay.failed.connect(self._on_failed)

    @property
    def generation(self) -> int:
        return self._generation

    @property
    def busy(self) -> bool:
        """True from `submit` until its result (or failure) has been delivered."""
        return self._delivered != self._generation

    def submit(self, fn: QueryFunction) -> int:
        """Start `fn` in the pool; older queries are interrupted. Returns its generation."""
        with self._lock:
            self._generation += 1
            generation = self._generation
            for reader in self._readers.values():
                reader.interrupt()
        self._pool.start(_Query(self, generation, fn))
        return generation

    def cancel(self) -> None:
        """Interrupt everything running and drop any result still to come."""
        with self._lock:
            self._generation += 1
            self._delivered = self._generation
            for reader in self._readers.values():
                reader.interrupt()

    def wait(self, msecs: int = 5000) -> bool:
        """Block until no query of this runner is running (for closing and tests)."""
        return self._pool.waitForDone(msecs)

    # ---------------------------------------------------------------- worker side

    def _is_current(self, generation: int) -> bool:
        return generation == self._generation

    def _open(self, generation: int) -> ArchiveReader:
        reader = self.archive.reader()
        with self._lock:
            self._readers[generation] = reader
            if generation != self._generation:
                reader.interrupt()
        return reader

    def _close(self, generation: int, reader: ArchiveReader) -> None:
        with self._lock:
            self._readers.pop(generation, None)
        reader.close()

    # ---------------------------------------------------------------- GUI side

    @Slot(int, object)
    def _on_done(self, generation: int, result: object) -> None:
        if generation == self._generation:
            self._delivered = generation
            self.finished.emit(generation, result)

    @Slot(int, str)
    def _on_failed(self, generation: int, message: str) -> None:
        if generation == self._generation:
            self._delivered = generation
            self.failed.emit(generation, message)
