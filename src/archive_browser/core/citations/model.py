"""A citation as read from text: its system, archive, levels, folios and file key."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

RU = "ru-fod"
BARCH = "de-barch"
PAAA = "de-paaa"
CORPORATE = "corporate"
NARA = "nara-microfilm"
TNA = "uk-tna"
USHMM = "us-ushmm"

LEVELS = ("archive", "fond", "opis", "delo")


@dataclass(frozen=True)
class Citation:
    text: str
    system: str
    archive: str | None
    fond: str | None
    opis: str | None
    delo: str | None
    folios: str | None
    key: str | None
    partial_key: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    archive_raw: str | None = None

    def to_json(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "text": self.text,
            "system": self.system,
            "archive": self.archive,
            "fond": self.fond,
            "opis": self.opis,
            "delo": self.delo,
            "folios": self.folios,
            "key": self.key,
            "extra": dict(self.extra),
        }
        if self.key is None:
            d["partial_key"] = self.partial_key
        return d


def citation_from_fields(fields: dict[str, Any]) -> Citation:
    """A citation as the archive stores it (a row of its citations table, as a dict)."""
    extra = fields.get("extra")
    return Citation(
        text=str(fields.get("text") or ""),
        system=str(fields.get("system") or ""),
        archive=fields.get("archive") or None,
        fond=fields.get("fond") or None,
        opis=fields.get("opis") or None,
        delo=fields.get("delo") or None,
        folios=fields.get("folios") or None,
        key=fields.get("key") or None,
        partial_key=fields.get("partial_key"),
        extra=extra if isinstance(extra, dict) else {},
    )
