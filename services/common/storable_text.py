"""Refuse request text a database cannot store, before any use case sees it.

PostgreSQL's ``text`` cannot hold the NUL character (U+0000): asyncpg raises
``CharacterNotInRepertoireError`` deep inside a query, which would surface as an internal error.
Every backend's ``ErrorInterceptor`` runs ``unstorable_text`` over the request message first, so
such input is INVALID_ARGUMENT naming each offending field (``inputs[2].comment``), whatever
the method, and nothing is written. Protobuf strings are valid UTF-8 by construction, so NUL is
the one character left that the databases refuse.
"""

from __future__ import annotations

from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import Message

__all__ = ["MAX_VIOLATIONS", "UNSTORABLE", "is_storable", "unstorable_text"]

MAX_VIOLATIONS = 20
"""At most this many fields are named; a hostile batch does not get an unbounded error."""

_NUL = "\x00"


UNSTORABLE = "Contains a NUL character (U+0000), which cannot be stored; remove it."
"""The description of every violation."""


def is_storable(text: str) -> bool:
    """Whether the databases can store ``text`` (it holds no NUL character)."""
    return _NUL not in text


def unstorable_text(message: Message, prefix: str = "") -> list[str]:
    """The path of every string field of ``message`` (nested and repeated too) holding a NUL character."""
    paths: list[str] = []
    _walk(message, prefix, paths)
    return paths


def _walk(message: Message, prefix: str, out: list[str]) -> None:
    for field, value in message.ListFields():
        if len(out) >= MAX_VIOLATIONS:
            return
        path = f"{prefix}.{field.name}" if prefix else field.name
        repeated = field.is_repeated
        if field.type == FieldDescriptor.TYPE_STRING:
            items = enumerate(value) if repeated else [(None, value)]
            for index, text in items:
                if _NUL in text:
                    out.append(path if index is None else f"{path}[{index}]")
                    if len(out) >= MAX_VIOLATIONS:
                        return
        elif field.type == FieldDescriptor.TYPE_MESSAGE and not _is_map(field):
            if repeated:
                for index, item in enumerate(value):
                    _walk(item, f"{path}[{index}]", out)
                    if len(out) >= MAX_VIOLATIONS:
                        return
            else:
                _walk(value, path, out)


def _is_map(field: FieldDescriptor) -> bool:
    # No request of ours has a map; one would need its entries walked by key.
    entry = field.message_type
    return entry is not None and bool(entry.GetOptions().map_entry)
