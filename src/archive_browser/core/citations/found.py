"""A reference found in normalized text, before its citations are resolved in order."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from archive_browser.core.citations.grammar_ru import _Pending
    from archive_browser.core.citations.model import Citation


@dataclass
class _Found:
    start: int
    end: int
    citations: list[Citation | _Pending]
    explicit_archive: bool = False
    ibid: bool = False
