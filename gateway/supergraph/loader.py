"""``load_supergraph``: parse a supergraph SDL into an immutable ``Supergraph`` snapshot.

The snapshot bundles the full supergraph schema (for the planner), the API schema (for
validation and introspection), the subgraphs, and the ownership records read from the
``join__`` directives. It is built once per supergraph version and shared read-only.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from graphql import GraphQLError, GraphQLSchema, parse

from gateway.supergraph.api_schema import build_api_schema, build_supergraph_schema
from gateway.supergraph.errors import SupergraphError
from gateway.supergraph.join import FeatureNames, read_feature_names, read_subgraphs, read_type_ownership
from gateway.supergraph.model import FieldJoin, SubgraphInfo, TypeOwnership
from gateway.types import SubgraphName

__all__ = ["Supergraph", "load_supergraph"]


@dataclass(frozen=True, slots=True, eq=False)
class Supergraph:
    """An immutable snapshot of one supergraph version."""

    sdl: str
    id: str
    """SHA-256 of the SDL; plan caches key on it."""
    schema: GraphQLSchema
    """The full supergraph schema, ``@inaccessible`` elements included (planner typing)."""
    api_schema: GraphQLSchema
    """The client-facing schema."""
    subgraphs: Mapping[SubgraphName, SubgraphInfo]
    types: Mapping[str, TypeOwnership]
    features: FeatureNames = field(default_factory=FeatureNames)

    @property
    def root_types(self) -> Mapping[str, str]:
        """Operation kind → root type name (``query`` → ``Query`` ...)."""
        out = {}
        for kind, gql_type in (
            ("query", self.schema.query_type),
            ("mutation", self.schema.mutation_type),
            ("subscription", self.schema.subscription_type),
        ):
            if gql_type is not None:
                out[kind] = gql_type.name
        return out

    def type(self, name: str) -> TypeOwnership | None:
        """Ownership of the named type, or ``None`` for built-in scalars and unknown names."""
        return self.types.get(name)

    def field_joins(self, type_name: str, field_name: str) -> tuple[FieldJoin, ...]:
        """The ``@join__field``s of a field, each with a graph (implicit ones made explicit).

        A field without any ``@join__field`` exists in every subgraph that defines its type.
        """
        owner = self.types.get(type_name)
        if owner is None:
            return ()
        ownership = owner.fields.get(field_name)
        if ownership is None:
            return ()
        if not ownership.joins:
            return tuple(FieldJoin(graph=g) for g in sorted(owner.graphs))
        return tuple(j for j in ownership.joins if j.graph is not None)

    def field_join(self, type_name: str, field_name: str, graph: SubgraphName) -> FieldJoin | None:
        """How ``graph`` defines ``type_name.field_name``, or ``None`` if it does not."""
        for join in self.field_joins(type_name, field_name):
            if join.graph == graph:
                return join
        return None


def load_supergraph(sdl: str) -> Supergraph:
    """Load an Apollo supergraph SDL (``@link`` v1.0, join v0.2–v0.5).

    Args:
        sdl: the supergraph schema document, as produced by composition.

    Returns:
        The immutable snapshot.

    Raises:
        SupergraphError: the SDL does not parse, does not link the join spec, names unknown
            graphs, or yields an invalid API schema.
    """
    try:
        document = parse(sdl, no_location=True)
    except GraphQLError as exc:
        raise SupergraphError(
            f"The supergraph SDL does not parse: {exc.message}", code="SUPERGRAPH_PARSE_ERROR"
        ) from exc
    names = read_feature_names(document)
    graphs = read_subgraphs(document, names)
    types = read_type_ownership(document, names, graphs)
    return Supergraph(
        sdl=sdl,
        id=hashlib.sha256(sdl.encode()).hexdigest(),
        schema=build_supergraph_schema(document),
        api_schema=build_api_schema(document, names),
        subgraphs=MappingProxyType({info.name: info for info in graphs.values()}),
        types=MappingProxyType(types),
        features=names,
    )
