"""Printing and PDF export of a page of HTML (a record, the Notebook), with Qt's print support.

The HTML is the program's own (record text already escaped by `record_html`); links are
turned into plain text first, so a printed or exported page carries no live link. A PDF is
written through `core.safe_write.replacing`: a temporary file beside the target that
becomes the target only when complete, never a FIFO, device or link.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtGui import QPageLayout, QPageSize, QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from archive_browser.core.safe_write import UnsafeTargetError, replacing

# `record_html` escapes every record text, so a literal tag in the page is the program's.
_ANCHOR_TAG = re.compile(r"</?a\b[^>]*>", re.IGNORECASE)


class PrintError(OSError):
    """The PDF could not be written; the message is one readable sentence."""


_PDF_PAGE = re.compile(rb"/Type\s*/Page\b")


def printable_html(html: str) -> str:
    """The page without its links: each link is kept as its text."""
    return _ANCHOR_TAG.sub("", html)


def pdf_page_count(path: Path) -> int:
    """The pages of a PDF Qt wrote (its page objects; Qt writes no compressed object streams)."""
    return len(_PDF_PAGE.findall(path.read_bytes()))


def _document(html: str, title: str) -> QTextDocument:
    document = QTextDocument()
    document.setHtml(printable_html(html))
    document.setMetaInformation(QTextDocument.MetaInformation.DocumentTitle, title)
    return document


def _pdf_printer(path: Path, title: str) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setDocName(title)
    printer.setCreator("Archive Browser")
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)
    return printer


def write_pdf(html: str, title: str, target: Path) -> int:
    """Write the page as a PDF at `target` (atomically); returns its number of pages.
    PrintError with one sentence when it cannot be written."""
    document = _document(html, title)
    try:
        with replacing(target) as temporary:
            printer = _pdf_printer(temporary, title)
            document.print_(printer)
            pages = pdf_page_count(temporary) if temporary.exists() else 0
            if pages == 0:
                raise OSError("Qt wrote no page")
    except UnsafeTargetError as error:
        raise PrintError(str(error)) from error
    except OSError as error:
        reason = error.strerror or str(error)
        raise PrintError(f"Cannot write the PDF {target}: {reason}.") from error
    return pages


def print_html(html: str, title: str, parent: QWidget | None = None) -> bool:
    """Ask for a printer (the system's print dialog) and print the page; False if the
    user cancels."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(f"Print {title}")
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    _document(html, title).print_(printer)
    return True


def choose_pdf_path(parent: QWidget | None, caption: str, name: str) -> Path | None:
    """Ask where to save a PDF (starting in the user's documents folder); None if cancelled.
    A name typed without an extension gets `.pdf`."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    start = str(Path(folder) / name) if folder else name
    chosen, _ = QFileDialog.getSaveFileName(parent, caption, start, "PDF (*.pdf)")
    if not chosen:
        return None
    path = Path(chosen)
    return path if path.suffix else path.with_suffix(".pdf")
