"""Persistence: a SQLite file by default, any SQLAlchemy URL (PostgreSQL) for a
shared server. Every save is a revision; saves carry the revision they started
from and never silently overwrite a concurrent edit."""

from .db import StoreError, Unavailable
from .exchange import export_network, export_project, import_file, json_schema, parse
from .merge import Clash, MergeConflict, merge
from .store import Conflict, NotFound, RevisionInfo, Saved, Store

__all__ = [
    "Clash", "Conflict", "MergeConflict", "NotFound", "RevisionInfo", "Saved", "Store",
    "StoreError", "Unavailable", "export_network", "export_project", "import_file",
    "json_schema", "merge", "parse",
]
