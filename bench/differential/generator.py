"""Random valid GraphQL operations over an API schema, for differential testing of gateways.

``OperationGenerator(schema, pools, seed)`` draws query operations that use what a planner must
get right: nested selections across types, inline fragments on interfaces, unions and object
types, named fragments (spread under other types), aliases (also colliding ones, which merge),
``__typename``, arguments (literals from a value pool, or variables), and ``@skip``/``@include``
with literals and with variables, on fields, inline fragments and spreads, including the same
field repeated under different conditions. Every operation is validated against the schema;
a draw that is not valid (e.g. an alias clash between fields of different shapes) is drawn again.

PORT_NOTE: ``hypothesis-graphql`` generates selections and arguments but neither variables,
``@skip``/``@include``, named fragments nor repeated fields, and draws argument values that
miss the data; this generator is small, seeded (a failure reproduces from its seed) and draws
argument values from per-supergraph pools that hit real records. Decision 0013 says why.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    GraphQLArgument,
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLUnionType,
    Undefined,
    ast_from_value,
    get_named_type,
    is_leaf_type,
    parse,
    print_ast,
    validate,
)

__all__ = ["GeneratedOperation", "OperationGenerator", "Pools"]

Pools = Mapping[str, Sequence[Any]]
"""Argument values to draw from, by ``Type.field.argument``, argument name or input type name."""

_DEFAULTS: dict[str, Sequence[Any]] = {
    "Int": (0, 1, 2, 3, 5, 10),
    "Float": (0.5, 1.0, 7.5),
    "String": ("a", "e", "o", "zz", ""),
    "Boolean": (True, False),
    "ID": ("1", "2", "x"),
}
_ALIASES = ("A", "B")


@dataclass(frozen=True, slots=True)
class GeneratedOperation:
    """One operation: its document text and the variables to send with it."""

    document: str
    variables: dict[str, Any]
    seed: int


@dataclass(slots=True)
class _Draw:
    """The state of one operation being drawn."""

    rng: random.Random
    variables: dict[str, tuple[str, Any]] = field(default_factory=dict)
    """Variable name → (printed type, value)."""
    fragments: dict[str, str] = field(default_factory=dict)
    """Fragment name → printed definition."""
    size: int = 0


class OperationGenerator:
    """Draws valid query operations over ``schema``.

    Args:
        schema: The API schema (what clients see).
        pools: Argument values (see ``Pools``); scalars without a pool use small defaults.
        max_depth: How deep selections nest below the root.
        max_fields: A soft bound on the number of selections in one operation.
    """

    def __init__(
        self, schema: GraphQLSchema, pools: Pools, *, max_depth: int = 4, max_fields: int = 14
    ) -> None:
        self.schema = schema
        self.pools = pools
        self.max_depth = max_depth
        self.max_fields = max_fields
        query = schema.query_type
        assert query is not None, "the schema has no query type"
        self.query: GraphQLObjectType = query

    def generate(self, seed: int) -> GeneratedOperation:
        """The operation for ``seed`` (the same seed always gives the same operation)."""
        rng = random.Random(seed)
        for _ in range(50):
            draw = _Draw(rng)
            body = self._selection_set(draw, self.query, depth=0, root=True)
            definitions = "".join(f"${name}: {kind}" + ", " for name, (kind, _) in draw.variables.items())
            header = f"query Q({definitions.rstrip(', ')})" if draw.variables else "query Q"
            document = header + " " + body + "".join("\n" + f for f in draw.fragments.values())
            if not validate(self.schema, parse(document)):
                variables = {name: value for name, (_, value) in draw.variables.items()}
                return GeneratedOperation(document, variables, seed)
        raise RuntimeError(f"No valid operation drawn for seed {seed} in 50 attempts.")

    # -- selection sets ----------------------------------------------------------------------
    def _selection_set(self, draw: _Draw, parent: GraphQLNamedType, depth: int, root: bool = False) -> str:
        rng = draw.rng
        parts: list[str] = []
        count = rng.choice((1, 1, 2, 2, 3)) if depth < self.max_depth else 1
        for _ in range(count):
            parts.append(self._selection(draw, parent, depth, root))
        if rng.random() < 0.15 and not root:
            parts.insert(rng.randrange(len(parts) + 1), "__typename" + self._directives(draw))
        return "{ " + " ".join(p for p in parts if p) + " }"

    def _selection(self, draw: _Draw, parent: GraphQLNamedType, depth: int, root: bool) -> str:
        rng = draw.rng
        abstract = isinstance(parent, GraphQLInterfaceType | GraphQLUnionType)
        roll = rng.random()
        if isinstance(parent, GraphQLUnionType) or (abstract and roll < 0.45) or (not root and roll < 0.12):
            return self._fragment(draw, parent, depth, root)
        if root and roll < 0.08:
            return self._fragment(draw, parent, depth, root)
        assert isinstance(parent, GraphQLObjectType | GraphQLInterfaceType)
        name = rng.choice(sorted(parent.fields))
        # Aliases come from a family per field name, so equal response keys mostly name the same
        # field (they merge) rather than make the operation invalid.
        alias = f"{name}{rng.choice(_ALIASES)}" if rng.random() < 0.2 else None
        arguments = self._arguments(draw, f"{parent.name}.{name}", parent.fields[name].args)
        text = self._field(draw, parent, name, depth, alias, arguments)
        if rng.random() < 0.1 and draw.size < self.max_fields:
            # The same field again (same response key), under other conditions or sub-selections.
            text += " " + self._field(draw, parent, name, depth, alias, arguments)
        return text

    def _field(
        self,
        draw: _Draw,
        parent: GraphQLObjectType | GraphQLInterfaceType,
        name: str,
        depth: int,
        alias: str | None,
        arguments: str,
    ) -> str:
        draw.size += 1
        definition: GraphQLField = parent.fields[name]
        text = f"{alias}: {name}" if alias else name
        if arguments:
            text += f"({arguments})"
        text += self._directives(draw)
        named = get_named_type(definition.type)
        if not is_leaf_type(named):
            if depth + 1 > self.max_depth or draw.size >= self.max_fields:
                text += " { __typename }"
            else:
                text += " " + self._selection_set(draw, named, depth + 1)
        return text

    def _fragment(self, draw: _Draw, parent: GraphQLNamedType, depth: int, root: bool) -> str:
        rng = draw.rng
        target = rng.choice(self._fragment_types(parent))
        inner = self._selection_set(draw, target, depth, root=root)
        if rng.random() < 0.3:
            name = f"F{len(draw.fragments)}"
            draw.fragments[name] = f"fragment {name} on {target.name} {inner}"
            return f"...{name}" + self._directives(draw)
        condition = "" if target is parent and rng.random() < 0.6 else f" on {target.name}"
        directives = self._directives(draw)
        if not condition and not directives:
            directives = self._directives(draw, force=True)
        return f"...{condition}{directives} {inner}"

    def _fragment_types(self, parent: GraphQLNamedType) -> list[Any]:
        """Types a fragment may name inside ``parent``: itself, its possible types, and abstract
        types that share one of them."""
        if isinstance(parent, GraphQLObjectType):
            possible = {parent.name}
        else:
            assert isinstance(parent, GraphQLInterfaceType | GraphQLUnionType)
            possible = {t.name for t in self.schema.get_possible_types(parent)}
        out: list[Any] = [parent] if not isinstance(parent, GraphQLUnionType) else []
        for type_name in sorted(self.schema.type_map):
            candidate = self.schema.type_map[type_name]
            if type_name.startswith("__") or candidate is parent:
                continue
            if self._overlaps(candidate, possible):
                out.append(candidate)
        return out

    def _overlaps(self, candidate: GraphQLNamedType, possible: set[str]) -> bool:
        if isinstance(candidate, GraphQLObjectType):
            return candidate.name in possible
        if isinstance(candidate, GraphQLInterfaceType | GraphQLUnionType):
            return bool(possible & {t.name for t in self.schema.get_possible_types(candidate)})
        return False

    # -- directives and arguments -------------------------------------------------------------
    def _directives(self, draw: _Draw, *, force: bool = False) -> str:
        rng = draw.rng
        if not force and rng.random() < 0.78:
            return ""
        out = []
        for name in rng.sample(("skip", "include"), rng.choice((1, 1, 1, 2))):
            if rng.random() < 0.3:
                value = "true" if rng.random() < 0.5 else "false"
            else:
                variable = f"v{rng.randrange(3)}"
                if variable not in draw.variables:
                    draw.variables[variable] = ("Boolean!", rng.random() < 0.5)
                value = f"${variable}"
            out.append(f" @{name}(if: {value})")
        return "".join(out)

    def _arguments(self, draw: _Draw, coordinate: str, arguments: Mapping[str, GraphQLArgument]) -> str:
        rng = draw.rng
        out = []
        for name, argument in arguments.items():
            required = isinstance(argument.type, GraphQLNonNull) and argument.default_value is Undefined
            if not required and rng.random() < 0.6:
                continue
            value = self._value(draw, f"{coordinate}.{name}", name, argument.type)
            if value is None and isinstance(argument.type, GraphQLNonNull):
                continue
            if rng.random() < 0.25:
                variable = f"x{len(draw.variables)}"
                draw.variables[variable] = (str(argument.type), value)
                out.append(f"{name}: ${variable}")
            else:
                literal = ast_from_value(value, argument.type)
                if literal is None:
                    continue
                out.append(f"{name}: {print_ast(literal)}")
        return ", ".join(out)

    def _value(self, draw: _Draw, coordinate: str, name: str, gql_type: GraphQLInputType) -> Any:
        rng = draw.rng
        inner = gql_type.of_type if isinstance(gql_type, GraphQLNonNull) else gql_type
        if isinstance(inner, GraphQLList):
            return [self._value(draw, coordinate, name, inner.of_type) for _ in range(rng.choice((1, 2)))]
        for key in (coordinate, name, getattr(inner, "name", "")):
            if key in self.pools:
                return rng.choice(list(self.pools[key]))
        if isinstance(inner, GraphQLEnumType):
            return rng.choice(sorted(inner.values))
        if isinstance(inner, GraphQLInputObjectType):
            out: dict[str, Any] = {}
            for field_name, input_field in inner.fields.items():
                required = (
                    isinstance(input_field.type, GraphQLNonNull) and input_field.default_value is Undefined
                )
                if required or rng.random() < 0.3:
                    out[field_name] = self._value(
                        draw, f"{inner.name}.{field_name}", field_name, input_field.type
                    )
            return out
        assert isinstance(inner, GraphQLScalarType)
        return rng.choice(list(_DEFAULTS.get(inner.name, ("1",))))
