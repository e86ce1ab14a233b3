"""Composition errors: a stable code, a sentence-style message, the subgraphs involved.

Codes follow the names Apollo Federation and The Guild's composition use, so an
error reported by ``insuretech compose`` can be looked up in their documentation.
:data:`ERROR_CODES` is the registry (code → one-line description) from which
documentation is generated; every rule in :mod:`gateway.composition.rules` emits
exactly one of these codes.

Spec: https://www.apollographql.com/docs/graphos/reference/federation/errors
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["ERROR_CODES", "CompositionError", "composition_error"]

ERROR_CODES: Mapping[str, str] = {
    "INVALID_GRAPHQL": "A subgraph's SDL does not parse or is not a valid GraphQL schema.",
    "INVALID_SUBGRAPH_NAME": "A subgraph name is empty, duplicated or reserved.",
    "INVALID_LINK_DIRECTIVE_USAGE": "A subgraph does not link the Federation v2 spec with @link.",
    "UNKNOWN_FEDERATION_LINK_VERSION": "A subgraph links a federation spec version that is not known.",
    "TYPE_KIND_MISMATCH": "Subgraphs define a type with different kinds (object, interface, enum, ...).",
    "FIELD_TYPE_MISMATCH": "Subgraphs declare a field (or input field) with incompatible types.",
    "FIELD_ARGUMENT_TYPE_MISMATCH": "Subgraphs declare an argument with incompatible types.",
    "FIELD_ARGUMENT_DEFAULT_MISMATCH": "Subgraphs declare different default values for an argument.",
    "INPUT_FIELD_DEFAULT_MISMATCH": "Subgraphs declare different default values for an input field.",
    "REQUIRED_ARGUMENT_MISSING_IN_SOME_SUBGRAPH": "A required argument is missing from some subgraph.",
    "REQUIRED_INPUT_FIELD_MISSING_IN_SOME_SUBGRAPH": "A required input field is missing from some subgraph.",
    "EMPTY_MERGED_INPUT_TYPE": "An input type has no field common to all subgraphs that define it.",
    "EMPTY_MERGED_ENUM_TYPE": "An input enum has no value common to all subgraphs that define it.",
    "ENUM_VALUE_MISMATCH": "An enum used as both input and output has different values across subgraphs.",
    "INVALID_FIELD_SHARING": "A field resolved by several subgraphs is not @shareable in all of them.",
    "KEY_INVALID_FIELDS": "The fields of a @key do not exist on the type or do not parse.",
    "KEY_FIELDS_HAS_ARGS": "A @key selects a field that takes arguments.",
    "KEY_FIELDS_SELECT_INVALID_TYPE": "A @key selects an interface or union field.",
    "REQUIRES_INVALID_FIELDS": "The fields of a @requires do not exist on the type or do not parse.",
    "REQUIRES_FIELDS_MISSING_EXTERNAL": "A @requires selects a field that is not @external in its subgraph.",
    "PROVIDES_INVALID_FIELDS": "The fields of a @provides do not exist on the returned type or do not parse.",
    "PROVIDES_FIELDS_MISSING_EXTERNAL": "A @provides selects a field that is not @external in its subgraph.",
    "PROVIDES_ON_NON_OBJECT_FIELD": "A @provides sits on a field that does not return an object or interface.",
    "EXTERNAL_UNUSED": "An @external field is not used by any @key, @requires or @provides.",
    "EXTERNAL_MISSING_ON_BASE": "A field is @external in every subgraph that declares it.",
    "MERGED_DIRECTIVE_APPLICATION_ON_EXTERNAL": "An @external field carries @tag or @inaccessible.",
    "EXTERNAL_TYPE_MISMATCH": "An @external field's type differs from the field's type in the supergraph.",
    "OVERRIDE_FROM_SELF_ERROR": "A field uses @override with its own subgraph as the source.",
    "OVERRIDE_SOURCE_HAS_OVERRIDE": "A field is overridden from a subgraph that itself overrides it.",
    "OVERRIDE_COLLISION_WITH_ANOTHER_DIRECTIVE": "A field uses @override together with @external.",
    "INTERFACE_FIELD_NO_IMPLEM": "An object type lacks a field of an interface it implements in the supergraph.",
    "INTERFACE_OBJECT_USAGE_ERROR": "An @interfaceObject type does not match an entity interface of another subgraph.",
    "NO_QUERIES": "No subgraph defines a root query field.",
    "QUERY_ROOT_TYPE_INACCESSIBLE": "The root Query type is marked @inaccessible.",
    "ONLY_INACCESSIBLE_CHILDREN": "Every field of an accessible type is @inaccessible.",
    "SATISFIABILITY_ERROR": "Some field of the supergraph cannot be reached from the subgraph that reaches its type.",
    "SUBGRAPH_SOURCE_INVALID": "A --subgraph/--from-service argument is malformed or its SDL file is unreadable.",
    "SUBGRAPH_FETCH_FAILED": "The SDL of a subgraph could not be fetched with `{ _service { sdl } }`.",
}


@dataclass(frozen=True, slots=True)
class CompositionError:
    """One reason composition failed."""

    code: str
    """A key of :data:`ERROR_CODES`."""
    message: str
    """A full sentence: what is wrong, where, and how to fix it."""
    subgraphs: tuple[str, ...] = ()
    """The subgraphs involved, in the order they were given."""

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"


def composition_error(code: str, message: str, *subgraphs: str) -> CompositionError:
    """Build a :class:`CompositionError`, checking that ``code`` is registered."""
    if code not in ERROR_CODES:  # pragma: no cover - a programming error, caught by the registry test
        raise KeyError(f"Unknown composition error code {code!r}.")
    return CompositionError(code, message, tuple(subgraphs))
