"""Archive Browser: an offline research browser for a curated historical archive."""

__version__ = "0.1.0"
