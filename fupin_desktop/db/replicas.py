"""Continuing a database under a new replica id: after a restore, or on a copied laptop.

A restored backup has an older change log: its sequence numbers would be issued again for new
edits, while the county may already hold different changes under the same numbers (an alarm
for tampering). So the restored database continues as a new replica (a new "incarnation"): the
old replica row stays, non-local, with its changes; new edits are numbered 1, 2, … under the new
id; the new row names the old one in `successor_of` and keeps its keys, so the county recognises
the same installation. A copy of a database that is going to be edited on a second laptop needs
the same step (with new keys made on first use).
"""

import uuid
from datetime import UTC, datetime
from pathlib import Path

from fupin_desktop.db import raw


def continue_as_new_replica(db_file: Path, *, keep_keys: bool = True, key: bytes | None = None) -> uuid.UUID | None:
    """Make the local replica of a SQLite database a new incarnation. Returns the new id, or None
    for a database that has no local replica. Works on any schema revision since the first."""
    conn = raw.connect(db_file, key=key)  # `key`: an encrypted file (db/cipher.py)
    try:
        columns = {r[1] for r in conn.execute("PRAGMA table_info(replica)")}
        if not columns:
            return None
        row = conn.execute("SELECT id, name, last_hlc FROM replica WHERE is_local").fetchone()
        if row is None:
            return None
        old, name, last_hlc = row
        new = uuid.uuid4()
        now = datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ")
        values = {"id": new.hex, "name": name, "is_local": 1, "last_seq": 0, "last_hlc": last_hlc, "created_at": now}
        extra = ["role", "village_code", "acked_seq"] + (["sign_key", "box_key"] if keep_keys else [])
        for col in extra:
            if col in columns:
                values[col] = conn.execute(f"SELECT {col} FROM replica WHERE id = ?", (old,)).fetchone()[0]
        if "acked_seq" in values:
            values["acked_seq"] = 0
        if "successor_of" in columns:
            values["successor_of"] = old
        with conn:
            conn.execute("UPDATE replica SET is_local = 0 WHERE id = ?", (old,))
            conn.execute(f"INSERT INTO replica ({', '.join(values)}) VALUES ({', '.join('?' * len(values))})",
                         list(values.values()))
        return new
    finally:
        conn.close()
