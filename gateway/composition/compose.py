"""``compose()``: Federation v2 subgraph SDLs in, supergraph SDL out.

The pipeline, one named stage per line of :func:`compose`: check the subgraph
names → read each subgraph (parse, link, strip plumbing, normalize) → run the
per-subgraph rules → merge → run the cross-subgraph rules → check
satisfiability → print. Composition is pure: no I/O, no clock, no globals, and
the subgraphs are taken in name order so the output never depends on the order
they were given in.

Spec: https://www.apollographql.com/docs/graphos/schema-design/federated-schemas/composition
"""

from __future__ import annotations

from collections.abc import Sequence

from gateway.composition.errors import CompositionError, composition_error
from gateway.composition.merge import merge_subgraphs
from gateway.composition.model import Subgraph
from gateway.composition.printer import print_supergraph
from gateway.composition.results import CompositionResult, Failure, Success
from gateway.composition.rules import SUPERGRAPH_RULES
from gateway.composition.rules_subgraph import SUBGRAPH_RULES
from gateway.composition.satisfiability import check_satisfiability
from gateway.composition.sources import SubgraphSource
from gateway.composition.subgraphs import read_subgraph

__all__ = ["check_subgraph_names", "compose"]

_RESERVED_NAMES = frozenset({"_"})


def compose(subgraphs: Sequence[SubgraphSource]) -> CompositionResult:
    """Compose Federation v2 subgraphs into a supergraph.

    Args:
        subgraphs: The subgraphs, each with a unique name, its routing URL and its SDL.

    Returns:
        ``Success(supergraph_sdl, hints)`` or ``Failure(errors)``; this function never raises for bad input.
    """
    errors = check_subgraph_names(subgraphs)
    if errors:
        return Failure(tuple(errors))
    read = [read_subgraph(source) for source in sorted(subgraphs, key=lambda s: s.name)]
    errors = [r for r in read if isinstance(r, CompositionError)]
    if errors:
        return Failure(tuple(errors))
    normalized = [r for r in read if isinstance(r, Subgraph)]
    context = merge_subgraphs(normalized)
    for subgraph in normalized:
        for subgraph_rule in SUBGRAPH_RULES:
            subgraph_rule(context, subgraph)
    for rule in SUPERGRAPH_RULES:
        rule(context)
    if not context.errors:
        check_satisfiability(context)
    if context.errors:
        return Failure(tuple(context.errors))
    for subgraph in normalized:
        if subgraph.custom_directives:
            context.hint(
                "DROPPED_CUSTOM_DIRECTIVE",
                f"Subgraph {subgraph.name!r} defines custom directives "
                f"{['@' + d for d in subgraph.custom_directives]!r}; their applications are not carried into "
                "the supergraph (@composeDirective is not supported).",
            )
    return Success(print_supergraph(context.supergraph), tuple(context.hints))


def check_subgraph_names(subgraphs: Sequence[SubgraphSource]) -> list[CompositionError]:
    """``INVALID_SUBGRAPH_NAME``: names must be non-empty, unique and not reserved; at least one subgraph."""
    if not subgraphs:
        return [
            composition_error(
                "INVALID_SUBGRAPH_NAME", "No subgraph was given. Pass at least one subgraph to compose."
            )
        ]
    errors: list[CompositionError] = []
    seen: set[str] = set()
    for source in subgraphs:
        if not source.name.strip() or source.name in _RESERVED_NAMES:
            errors.append(
                composition_error(
                    "INVALID_SUBGRAPH_NAME",
                    f"Subgraph name {source.name!r} is empty or reserved. Give the subgraph a real name.",
                )
            )
        elif source.name in seen:
            errors.append(
                composition_error(
                    "INVALID_SUBGRAPH_NAME",
                    f"Subgraph name {source.name!r} is used more than once. Subgraph names must be unique.",
                    source.name,
                )
            )
        seen.add(source.name)
    return errors
