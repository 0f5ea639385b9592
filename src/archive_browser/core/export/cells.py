"""Spreadsheet-safe cells: a cell a spreadsheet would run as a formula gets a leading quote."""

from __future__ import annotations

# Characters a spreadsheet treats as the start of a formula (OWASP CSV injection), their
# full-width forms (Excel converts those), and the neutralising quote itself.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
NEUTRALISED_STARTS = (*FORMULA_STARTS, "'")


def neutralise_cell(text: str) -> str:
    """The cell as written to CSV: a spreadsheet never runs it as a formula."""
    return "'" + text if text.startswith(NEUTRALISED_STARTS) else text


def restore_cell(cell: str) -> str:
    """The text a cell was made from (undoes `neutralise_cell`)."""
    if cell.startswith("'") and cell[1:].startswith(NEUTRALISED_STARTS):
        return cell[1:]
    return cell
