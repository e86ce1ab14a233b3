"""The normalized model of one subgraph, as composition reads it.

Subgraph SDL is parsed once (see :mod:`gateway.composition.subgraphs`) into these
frozen records, with every federation directive already resolved to its meaning
(renamed imports such as ``@key as @primaryKey`` no longer matter here). Merge,
rules and satisfiability only ever look at this model, never at SDL.

Spec: https://www.apollographql.com/docs/graphos/schema-design/federated-schemas/reference/directives
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from gateway.composition.fieldsets import top_level_fields

__all__ = [
    "ArgumentInfo",
    "EnumValueInfo",
    "FieldInfo",
    "KeyInfo",
    "Subgraph",
    "TypeInfo",
    "TypeKind",
]


class TypeKind(StrEnum):
    """The kind of a named type, spelled as in GraphQL introspection."""

    SCALAR = "SCALAR"
    OBJECT = "OBJECT"
    INTERFACE = "INTERFACE"
    UNION = "UNION"
    ENUM = "ENUM"
    INPUT_OBJECT = "INPUT_OBJECT"


@dataclass(frozen=True, slots=True)
class KeyInfo:
    """One ``@key`` application on an entity type."""

    fields: str
    """The field set exactly as written, e.g. ``"id"`` or ``"id sku"``."""
    resolvable: bool = True
    """``False`` for ``@key(resolvable: false)``: the subgraph only references the entity."""
    extension: bool = False
    """``True`` when the key sits on an ``extend type`` definition or a type marked ``@extends``."""


@dataclass(frozen=True, slots=True)
class ArgumentInfo:
    """A field argument or an input-object field."""

    name: str
    type: str
    """The type reference as SDL, e.g. ``"[ID!]!"``."""
    default: str | None = None
    """The default value printed as a GraphQL literal, or ``None`` when absent."""
    description: str | None = None
    deprecation: str | None = None
    """The ``@deprecated`` reason (``"No longer supported"`` when no reason is given)."""
    inaccessible: bool = False
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class FieldInfo:
    """An output field of an object or interface type, with its federation metadata."""

    name: str
    type: str
    arguments: tuple[ArgumentInfo, ...] = ()
    description: str | None = None
    deprecation: str | None = None
    external: bool = False
    shareable: bool = False
    """``@shareable`` on the field, or on the type definition that declares the field."""
    requires: str | None = None
    provides: str | None = None
    override: str | None = None
    """The ``from:`` subgraph name of ``@override``."""
    override_label: str | None = None
    inaccessible: bool = False
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class EnumValueInfo:
    """One enum value."""

    name: str
    description: str | None = None
    deprecation: str | None = None
    inaccessible: bool = False
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TypeInfo:
    """A named type as one subgraph defines it (definition and extensions folded together)."""

    name: str
    kind: TypeKind
    description: str | None = None
    keys: tuple[KeyInfo, ...] = ()
    extension: bool = False
    """Every definition of the type is an extension (``extend type``/``@extends``)."""
    interface_object: bool = False
    """The type is an object type marked ``@interfaceObject``: it stands for an interface."""
    interfaces: tuple[str, ...] = ()
    fields: tuple[FieldInfo, ...] = ()
    input_fields: tuple[ArgumentInfo, ...] = ()
    values: tuple[EnumValueInfo, ...] = ()
    members: tuple[str, ...] = ()
    specified_by: str | None = None
    inaccessible: bool = False
    tags: tuple[str, ...] = ()

    def field(self, name: str) -> FieldInfo | None:
        """Return the output field ``name`` or ``None``."""
        return next((f for f in self.fields if f.name == name), None)

    def input_field(self, name: str) -> ArgumentInfo | None:
        """Return the input field ``name`` or ``None``."""
        return next((f for f in self.input_fields if f.name == name), None)

    def key_field_names(self) -> frozenset[str]:
        """Top-level field names used by any ``@key`` of this type (they are implicitly shareable)."""
        names: set[str] = set()
        for key in self.keys:
            names.update(top_level_fields(key.fields))
        return frozenset(names)


@dataclass(frozen=True, slots=True)
class Subgraph:
    """One subgraph, normalized: its name, routing URL and types without federation plumbing."""

    name: str
    url: str
    federation_version: str
    """The linked federation spec version, e.g. ``"v2.3"``."""
    types: dict[str, TypeInfo] = field(default_factory=dict)
    root_types: dict[str, str] = field(default_factory=dict)
    """Operation (``query``/``mutation``/``subscription``) → root type name (always the default names)."""
    custom_directives: tuple[str, ...] = ()
    """Custom (non-federation, non-built-in) directives the subgraph defines; not composed."""

    def type(self, name: str) -> TypeInfo | None:
        """Return the type ``name`` or ``None``."""
        return self.types.get(name)
