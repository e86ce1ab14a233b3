"""The outcome of composition: ``Success`` with the supergraph SDL, or ``Failure`` with errors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

from gateway.composition.errors import CompositionError
from gateway.composition.hints import CompositionHint

__all__ = ["CompositionResult", "Failure", "Success"]


@dataclass(frozen=True, slots=True)
class Success:
    """Composition succeeded."""

    supergraph_sdl: str
    """The supergraph SDL (``@link``/``join__`` form), deterministic for the same subgraphs."""
    hints: tuple[CompositionHint, ...] = ()
    """Non-fatal findings worth reading."""


@dataclass(frozen=True, slots=True)
class Failure:
    """Composition failed; nothing was produced."""

    errors: tuple[CompositionError, ...]
    """Every error found (composition keeps going to report as many as it can)."""


CompositionResult: TypeAlias = Success | Failure
"""What :func:`gateway.composition.compose` returns; match on it."""
