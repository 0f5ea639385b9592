"""Writing an export file: atomically through a temporary file, errors as one sentence.

What may be replaced (a new path or a regular file, never a FIFO, device, link or folder)
and how (a temporary file renamed into place, with the user's umask) is `core.safe_write`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from archive_browser.core.safe_write import UnsafeTargetError, replacing


class ExportError(OSError):
    """The export file could not be written; the message is one readable sentence."""


@contextmanager
def text_output(out: Path | TextIO, encoding: str) -> Iterator[TextIO]:
    """A stream to write to; a path is written to a temporary file and renamed at the end,
    so a failed export never leaves half a file (or destroys the previous one)."""
    if not isinstance(out, str | os.PathLike):
        yield out
        return
    target = Path(out)
    try:
        with replacing(target) as temporary:
            with open(temporary, "w", encoding=encoding, newline="") as stream:
                yield stream
    except UnsafeTargetError as error:
        raise ExportError(str(error)) from error
    except OSError as error:
        raise _export_error(target, error) from error


def _export_error(target: Path, error: OSError) -> ExportError:
    reason = error.strerror or str(error)
    return ExportError(f"Cannot write the export file {target}: {reason}.")
