"""How much WAL our own database wrote during a run, read with ``pg_waldump``.

The WAL is shared by every database of the server (other work on a shared machine writes to it
too), so the position difference alone would overstate it. ``pg_waldump`` lists every record
between two positions with the relation it touches (``rel TABLESPACE/DATABASE/RELFILENODE``);
the records of our database's OID are ours. Commit records name no relation and are left out
(a few dozen bytes each), so the figure is a slight underestimate. Needs ``pg_waldump`` and read
access to the server's ``pg_wal`` (a local server, run as root or postgres); otherwise ``None``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

__all__ = ["WalPosition", "database_wal_bytes", "find_pg_waldump", "sum_database_records"]

_RECORD = re.compile(r"len \(rec/tot\):\s*\d+/\s*(\d+),.*?blkref #\d+: rel \d+/(\d+)/")


@dataclass(frozen=True, slots=True)
class WalPosition:
    """Where the WAL was at one moment, and what to read it with."""

    lsn: str
    timeline: int
    wal_dir: Path
    database_oid: int


def find_pg_waldump() -> str | None:
    """``pg_waldump`` on PATH or in Debian's versioned PostgreSQL folders."""
    found = shutil.which("pg_waldump")
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_waldump"))
    return str(candidates[-1]) if candidates else None


def sum_database_records(dump: str, database_oid: int) -> int:
    """Total length of the records in ``pg_waldump`` output that touch ``database_oid``."""
    total = 0
    for match in _RECORD.finditer(dump):
        if int(match.group(2)) == database_oid:
            total += int(match.group(1))
    return total


def database_wal_bytes(start: WalPosition, end_lsn: str) -> int | None:
    """WAL bytes our database wrote between ``start`` and ``end_lsn``; ``None`` if unreadable."""
    tool = find_pg_waldump()
    if tool is None or not start.wal_dir.is_dir():
        return None
    result = subprocess.run(
        [tool, "-p", str(start.wal_dir), "-t", str(start.timeline), "-s", start.lsn, "-e", end_lsn],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    if not result.stdout:
        return None
    return sum_database_records(result.stdout, start.database_oid)
