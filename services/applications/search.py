"""Full-text search over applications on both backends.

PostgreSQL: the generated column ``search_vector`` (``to_tsvector('russian', …)`` over number,
insured object description, comment and cancellation reason, GIN-indexed) is matched with
``plainto_tsquery('russian', q)`` and ranked by ``ts_rank``; the database keeps it current.
``plainto_tsquery`` (every word required, no operators) rather than ``websearch_to_tsquery``
keeps the semantics equal to the SQLite side, where every stem is required and nothing is syntax.
PostgreSQL drops stop words ("и", "or"); SQLite requires them too.

SQLite: the FTS5 table ``applications_fts(application_id UNINDEXED, body)`` holds the same text
reduced to Snowball stems (``services.applications.search_text``). The application code keeps it
in sync in the same transaction as every change of the searchable columns.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.applications.models import Application
from services.applications.repository import dialect_name, get_applications
from services.applications.search_text import fts_match_expression, search_document

__all__ = ["SQLITE_INSERT", "search_applications", "searchable_parts", "sync_search_document"]

_PG_SEARCH = """
    SELECT id FROM applications
    WHERE search_vector @@ plainto_tsquery('russian', :query) {scope}
    ORDER BY ts_rank(search_vector, plainto_tsquery('russian', :query)) DESC, applied_at DESC, id DESC
    LIMIT :limit
"""

_SQLITE_SEARCH = """
    SELECT f.application_id FROM applications_fts AS f
    JOIN applications AS a ON a.id = f.application_id
    WHERE applications_fts MATCH :match {scope}
    ORDER BY bm25(applications_fts), a.applied_at DESC, a.id DESC
    LIMIT :limit
"""

_SEARCHES = {
    (dialect, scoped): text(sql.format(scope=f"AND {owner} = :scope" if scoped else ""))
    for dialect, sql, owner in (("postgresql", _PG_SEARCH, "owner"), ("sqlite", _SQLITE_SEARCH, "a.owner"))
    for scoped in (False, True)
}
"""The search statement per dialect, with and without the owner condition of a partner caller."""

# The FTS5 rowid of an application is the id of its first status-history row: a stable integer
# (an INTEGER PRIMARY KEY survives VACUUM) found through a unique index, so replacing a document
# never scans the FTS table.
_FIRST_HISTORY_ROW = "SELECT id FROM status_history WHERE application_id = :id AND position = 1"
_SQLITE_DELETE = text(f"DELETE FROM applications_fts WHERE rowid = ({_FIRST_HISTORY_ROW})")
SQLITE_INSERT = text(
    "INSERT INTO applications_fts (rowid, application_id, body) "
    "SELECT id, application_id, :body FROM status_history WHERE application_id = :id AND position = 1"
)
"""Insert one FTS5 document (parameters ``id`` and ``body``); the history row must exist."""


def searchable_parts(application: Application) -> tuple[str, ...]:
    """The texts search covers, in the order the PostgreSQL vector weights them."""
    return (
        application.number,
        application.insured_description,
        application.comment,
        application.cancellation_reason,
    )


async def sync_search_document(session: AsyncSession, application: Application, *, new: bool) -> None:
    """Write ``application``'s FTS5 row on SQLite (a no-op on PostgreSQL, whose column is generated).

    Args:
        session: the transaction that changes the application (its first history row flushed).
        application: its state after the change.
        new: True on create (nothing to replace).
    """
    if dialect_name(session) != "sqlite":
        return
    if not new:
        await session.execute(_SQLITE_DELETE, {"id": application.id})
    body = search_document(searchable_parts(application))
    await session.execute(SQLITE_INSERT, {"id": application.id, "body": body})


async def search_applications(
    session: AsyncSession, query: str, limit: int, scope: str | None = None
) -> list[Application]:
    """Applications matching every word of ``query`` (any word form), best match first.

    ``scope`` limits the matches to one owner (a partner's own applications) before the limit.
    """
    dialect = dialect_name(session)
    parameters: dict[str, object] = {"limit": limit}
    if scope is not None:
        parameters["scope"] = scope
    if dialect == "postgresql":
        parameters["query"] = query
    else:
        match = fts_match_expression(query)
        if match is None:
            return []
        parameters["match"] = match
    rows = await session.execute(_SEARCHES[dialect, scope is not None], parameters)
    ids = [str(row[0]) for row in rows]
    by_id = {application.id: application for application in await get_applications(session, ids, scope)}
    return [by_id[i] for i in ids if i in by_id]
