"""Writing an export file: atomically through a temporary file, errors as one sentence."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TextIO


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
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    except OSError as error:
        raise _export_error(target, error) from error
    try:
        with open(handle, "w", encoding=encoding, newline="") as stream:
            yield stream
        os.replace(temporary, target)
    except OSError as error:
        _remove_quietly(temporary)
        raise _export_error(target, error) from error
    except BaseException:
        _remove_quietly(temporary)
        raise


def _remove_quietly(path: str) -> None:
    # Already gone, or the folder vanished: nothing left to tidy.
    with suppress(OSError):
        os.unlink(path)


def _export_error(target: Path, error: OSError) -> ExportError:
    reason = error.strerror or str(error)
    return ExportError(f"Cannot write the export file {target}: {reason}.")
