"""Federation v2 composition: subgraph SDLs → supergraph SDL (build time and CI, never the request path).

Use :func:`compose` with :class:`SubgraphSource` records and match on the
:data:`CompositionResult`. The command line is :func:`gateway.composition.cli.main`
(wired as ``insuretech compose``; also ``python -m gateway.composition.cli``).

Spec: https://www.apollographql.com/docs/graphos/schema-design/federated-schemas/composition
"""

from __future__ import annotations

from gateway.composition.compose import compose
from gateway.composition.errors import ERROR_CODES, CompositionError
from gateway.composition.hints import HINT_CODES, CompositionHint
from gateway.composition.results import CompositionResult, Failure, Success
from gateway.composition.sources import SubgraphSource, fetch_subgraph_sdl

__all__ = [
    "ERROR_CODES",
    "HINT_CODES",
    "CompositionError",
    "CompositionHint",
    "CompositionResult",
    "Failure",
    "SubgraphSource",
    "Success",
    "compose",
    "fetch_subgraph_sdl",
]
