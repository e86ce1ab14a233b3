"""The federation v2 ``@link`` import: which local name each federation directive has.

A subgraph opts into Federation v2 with
``extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])``.
Imported directives keep their name (or take the ``as:`` alias); the others are
reachable as ``@federation__<name>``. This module reads that link and produces the
directive definitions a subgraph SDL may use, so graphql-core can validate the SDL
even when (as Strawberry does) it prints applications without definitions.

Spec: https://specs.apollo.dev/link/v1.0/ and
https://www.apollographql.com/docs/graphos/schema-design/federated-schemas/reference/versions
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graphql import (
    ConstValueNode,
    DocumentNode,
    ListValueNode,
    ObjectValueNode,
    SchemaDefinitionNode,
    SchemaExtensionNode,
    StringValueNode,
)

__all__ = [
    "FEDERATION_DIRECTIVES",
    "PLUMBING_TYPES",
    "FederationLink",
    "LinkProblem",
    "directive_definitions",
    "read_federation_link",
]

FEDERATION_URL = re.compile(r"^https?://specs\.apollo\.dev/federation/v(\d+)\.(\d+)/?$")

FEDERATION_DIRECTIVES: dict[str, str] = {
    "key": "(fields: String!, resolvable: Boolean = true) repeatable on OBJECT | INTERFACE",
    "requires": "(fields: String!) on FIELD_DEFINITION",
    "provides": "(fields: String!) on FIELD_DEFINITION",
    "external": "(reason: String) on OBJECT | FIELD_DEFINITION",
    "shareable": " repeatable on OBJECT | FIELD_DEFINITION",
    "override": "(from: String!, label: String) on FIELD_DEFINITION",
    "inaccessible": (
        " on FIELD_DEFINITION | OBJECT | INTERFACE | UNION | ARGUMENT_DEFINITION | SCALAR | ENUM"
        " | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION"
    ),
    "tag": (
        "(name: String!) repeatable on FIELD_DEFINITION | INTERFACE | OBJECT | UNION | ARGUMENT_DEFINITION"
        " | SCALAR | ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION | SCHEMA"
    ),
    "extends": " on OBJECT | INTERFACE",
    "interfaceObject": " on OBJECT",
    "composeDirective": "(name: String!) repeatable on SCHEMA",
    "authenticated": " on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM",
    "requiresScopes": "(scopes: [[String!]!]!) on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM",
    "policy": "(policies: [[String!]!]!) on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM",
    "context": "(name: String!) repeatable on INTERFACE | OBJECT | UNION",
    "fromContext": "(field: String) on ARGUMENT_DEFINITION",
    "cost": "(weight: Int!) on ARGUMENT_DEFINITION | ENUM | FIELD_DEFINITION | INPUT_FIELD_DEFINITION | OBJECT | SCALAR",
    "listSize": (
        "(assumedSize: Int, slicingArguments: [String!], sizedFields: [String!],"
        " requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION"
    ),
}
"""Every federation v2 directive, with a permissive definition tail (field sets typed as strings)."""

PLUMBING_TYPES = frozenset(
    {
        "_Any",
        "_Entity",
        "_Service",
        "_FieldSet",
        "FieldSet",
        "federation__FieldSet",
        "federation__Scope",
        "federation__Policy",
        "federation__ContextFieldValue",
        "link__Import",
        "link__Purpose",
    }
)
"""Types that belong to the federation machinery and never reach the supergraph."""

_LINK_DEFINITIONS = """
directive @link(url: String!, as: String, for: link__Purpose, import: [link__Import]) repeatable on SCHEMA
scalar link__Import
enum link__Purpose { SECURITY EXECUTION }
"""


@dataclass(frozen=True, slots=True)
class FederationLink:
    """The federation ``@link`` of one subgraph."""

    version: str
    """``"v2.3"`` and so on."""
    names: dict[str, str]
    """Federation directive name (``"key"``) → the name the subgraph uses (``"key"``, ``"federation__key"``)."""


@dataclass(frozen=True, slots=True)
class LinkProblem:
    """Why a subgraph's federation link is unusable: an error code and a sentence fragment."""

    code: str
    detail: str


def read_federation_link(document: DocumentNode) -> FederationLink | LinkProblem:
    """Find the federation ``@link`` on the schema definition or extensions of ``document``."""
    for definition in document.definitions:
        if not isinstance(definition, SchemaDefinitionNode | SchemaExtensionNode):
            continue
        for directive in definition.directives or ():
            if directive.name.value != "link":
                continue
            arguments = {a.name.value: a.value for a in directive.arguments or ()}
            url = arguments.get("url")
            if not isinstance(url, StringValueNode) or "specs.apollo.dev/federation/" not in url.value:
                continue
            match = FEDERATION_URL.match(url.value)
            if match is None or match.group(1) != "2":
                return LinkProblem(
                    "UNKNOWN_FEDERATION_LINK_VERSION",
                    f"links {url.value!r}, but only Federation v2 (federation/v2.0 to v2.x) is supported",
                )
            return FederationLink(f"v2.{match.group(2)}", _local_names(arguments.get("import")))
    return LinkProblem(
        "INVALID_LINK_DIRECTIVE_USAGE",
        'does not link Federation v2; add `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3",'
        ' import: ["@key", "@shareable"])`',
    )


def _local_names(imports: ConstValueNode | None) -> dict[str, str]:
    names = {name: f"federation__{name}" for name in FEDERATION_DIRECTIVES}
    items = imports.values if isinstance(imports, ListValueNode) else ()
    for item in items:
        if isinstance(item, StringValueNode):
            original, alias = item.value, item.value
        elif isinstance(item, ObjectValueNode):
            fields = {f.name.value: f.value for f in item.fields}
            name_node, as_node = fields.get("name"), fields.get("as")
            if not isinstance(name_node, StringValueNode):
                continue
            original = name_node.value
            alias = as_node.value if isinstance(as_node, StringValueNode) else original
        else:
            continue
        if original.startswith("@") and original[1:] in FEDERATION_DIRECTIVES:
            names[original[1:]] = alias.lstrip("@")
    return names


def directive_definitions(link: FederationLink, defined: frozenset[str]) -> str:
    """SDL defining ``@link`` and every federation directive under its local name, minus ``defined``."""
    parts = [_LINK_DEFINITIONS]
    for name, tail in FEDERATION_DIRECTIVES.items():
        local = link.names[name]
        if local not in defined:
            parts.append(f"directive @{local}{tail}")
    return "\n".join(parts)
