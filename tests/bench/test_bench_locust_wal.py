"""WAL of one database, summed from pg_waldump records (the parsing; the tool runs in the benchmark)."""

from __future__ import annotations

from bench.locust.wal import sum_database_records

DUMP = """\
rmgr: Heap        len (rec/tot):     59/    59, tx:        740, lsn: 0/0155C5D0, prev 0/0155C598, desc: INSERT off 3 flags 0x00, blkref #0: rel 1663/74857/16390 blk 0
rmgr: Btree       len (rec/tot):     64/  8256, tx:        740, lsn: 0/0155C610, prev 0/0155C5D0, desc: INSERT_LEAF off 2, blkref #0: rel 1663/74857/16395 blk 1 FPW
rmgr: Heap        len (rec/tot):     54/   154, tx:        741, lsn: 0/0155E668, prev 0/0155C610, desc: INSERT off 9, blkref #0: rel 1663/5/2619 blk 12
rmgr: Transaction len (rec/tot):     34/    34, tx:        740, lsn: 0/0155E708, prev 0/0155E668, desc: COMMIT 2026-12-04 16:40:00.1 UTC
"""


def test_only_the_records_of_our_database_count() -> None:
    assert sum_database_records(DUMP, 74857) == 59 + 8256
    assert sum_database_records(DUMP, 5) == 154
    assert sum_database_records(DUMP, 1) == 0
