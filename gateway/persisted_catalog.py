"""The persisted-operation catalog: every manifest operation, parsed, validated and planned at load.

Partners run only the operations of their manifests, so the gateway prepares each of them once
when the partner file is loaded (or reloaded): parse, validate against the API schema, check the
partner's static operation limits, plan, and build the response shaper. A request then carries
only a reference (manifest id, body SHA-256, or the body itself) and its variables; nothing is
parsed or planned per request. A manifest operation that fails any of these steps fails the load
with a ``PartnerConfigError`` naming the partner, the manifest and the operation.

See https://www.apollographql.com/docs/graphos/routing/security/persisted-queries
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from graphql import OperationDefinitionNode, OperationType

from gateway.errors import GatewayError
from gateway.execution.introspection import split_introspection
from gateway.operation_limits import OperationMeasures, count_tokens, measure_operation, violations
from gateway.partners import Partner, PartnerConfigError, PartnerRegistry
from gateway.persisted_queries import ManifestError, PersistedOperation, load_manifest, sha256_hex
from gateway.planner.plan import QueryPlan
from gateway.response import OperationShaper
from gateway.types import PartnerId

if TYPE_CHECKING:
    from gateway.pipeline import Gateway, PreparedDocument

__all__ = ["PersistedCatalog", "PersistedEntry", "build_catalog", "static_measures"]


@dataclass(frozen=True, slots=True)
class PersistedEntry:
    """One persisted operation, ready to execute."""

    operation: PersistedOperation
    """The manifest entry (id, name, type, body)."""
    sha256: str
    """SHA-256 hex of the body (what APQ-style clients send)."""
    prepared: PreparedDocument
    definition: OperationDefinitionNode
    op_key: str | None
    """The operation's name in the document (``None`` when anonymous)."""
    plan: QueryPlan | None
    tokens: int

    @property
    def is_subscription(self) -> bool:
        """Whether the operation is a subscription (run over WebSocket, from its body)."""
        return self.definition.operation is OperationType.SUBSCRIPTION

    @property
    def is_mutation(self) -> bool:
        """Whether the operation writes (mutations must arrive by POST)."""
        return self.definition.operation is OperationType.MUTATION


@dataclass(frozen=True, slots=True)
class PersistedCatalog:
    """All operations of all partners' manifests, and who may run which."""

    by_ref: Mapping[str, PersistedEntry] = field(default_factory=dict)
    """By manifest id and by body SHA-256."""
    by_name: Mapping[str, PersistedEntry | None] = field(default_factory=dict)
    """By operation name; ``None`` marks a name two different bodies share."""
    allowed: Mapping[PartnerId, frozenset[str]] = field(default_factory=dict)
    """Partner → body SHA-256s of the operations it may run."""

    def lookup(self, ref: str) -> PersistedEntry | None:
        """The entry whose manifest id or body SHA-256 is ``ref``."""
        return self.by_ref.get(ref)

    def named(self, ref: str) -> PersistedEntry | None:
        """The entry with manifest id, body SHA-256 or (unambiguous) operation name ``ref``."""
        return self.by_ref.get(ref) or self.by_name.get(ref)

    def allows(self, partner_id: PartnerId, entry: PersistedEntry) -> bool:
        """Whether ``entry`` is in the partner's manifests."""
        return entry.sha256 in self.allowed.get(partner_id, frozenset())


def _prepare(gateway: Gateway, operation: PersistedOperation, where: str) -> PersistedEntry:
    try:
        prepared = gateway.prepare(operation.body)
    except GatewayError as exc:
        details = "; ".join(e["message"] for e in exc.to_json())
        raise PartnerConfigError(f"{where} is not a valid operation of the supergraph: {details}") from exc
    if len(prepared.operations) != 1:
        raise PartnerConfigError(
            f"{where} must define exactly one operation, not {len(prepared.operations)}."
        )
    op_key, definition = next(iter(prepared.operations.items()))
    if definition.operation.value != operation.type:
        raise PartnerConfigError(
            f"{where} is a {definition.operation.value} but the manifest says {operation.type!r}."
        )
    parts = split_introspection(definition, prepared.fragments)
    if parts.introspection is not None:
        raise PartnerConfigError(f"{where} selects introspection fields, which partners may not use.")
    plan: QueryPlan | None = None
    # A subscription is planned per event on its WebSocket (gateway.subscriptions); the catalog
    # only vouches for its body. Over HTTP it is refused like any subscription (check_method).
    if definition.operation is not OperationType.SUBSCRIPTION:
        try:
            plan = gateway.plan(prepared, parts, op_key)
        except GatewayError as exc:
            raise PartnerConfigError(f"{where} cannot be planned: {exc.message}") from exc
    prepared.shapers[op_key] = OperationShaper(gateway.schema, definition, prepared.fragments)
    return PersistedEntry(
        operation=operation,
        sha256=sha256_hex(operation.body),
        prepared=prepared,
        definition=definition,
        op_key=op_key,
        plan=plan,
        tokens=count_tokens(operation.body),
    )


def static_measures(gateway: Gateway, entry: PersistedEntry, default_list_size: int) -> OperationMeasures:
    """Depth, aliases, root fields and cost of ``entry`` with no variables bound."""
    return measure_operation(
        gateway.schema,
        entry.definition,
        entry.prepared.fragments,
        default_list_size=default_list_size,
    )


def _check_limits(gateway: Gateway, entry: PersistedEntry, partner: Partner, where: str) -> None:
    limits = partner.limits
    if entry.tokens > limits.max_tokens:
        raise PartnerConfigError(
            f"{where} has {entry.tokens} tokens, over the partner's max_tokens of {limits.max_tokens}."
        )
    found = violations(static_measures(gateway, entry, limits.default_list_size), limits)
    if found:
        raise PartnerConfigError(f"{where} breaks the partner's operation limits: {found[0][1]}")


def build_catalog(gateway: Gateway, registry: PartnerRegistry) -> PersistedCatalog:
    """Load every partner's manifests and prepare each operation once.

    Raises:
        PartnerConfigError: naming the partner, manifest and operation that cannot be served.
    """
    manifests: dict[Path, tuple[PersistedOperation, ...]] = {}
    entries: dict[str, PersistedEntry] = {}
    by_ref: dict[str, PersistedEntry] = {}
    by_name: dict[str, PersistedEntry | None] = {}
    allowed: dict[PartnerId, frozenset[str]] = {}
    for partner in registry.partners.values():
        shas: set[str] = set()
        for path in partner.manifests:
            if path not in manifests:
                try:
                    manifests[path] = load_manifest(path)
                except ManifestError as exc:
                    raise PartnerConfigError(f"partner {partner.id!r}: {exc}") from exc
            for operation in manifests[path]:
                where = f"partner {partner.id!r}, manifest {path.name!r}, operation {operation.name or operation.id!r}"
                sha = sha256_hex(operation.body)
                entry = entries.get(sha)
                if entry is None:
                    entry = entries[sha] = _prepare(gateway, operation, where)
                _check_limits(gateway, entry, partner, where)
                known = by_ref.get(operation.id)
                if known is not None and known is not entry:
                    raise PartnerConfigError(f"{where}: id {operation.id!r} names two different bodies.")
                by_ref[operation.id] = entry
                by_ref.setdefault(sha, entry)
                if operation.name is not None:
                    other = by_name.get(operation.name, entry)
                    by_name[operation.name] = entry if other is entry else None
                shas.add(sha)
        allowed[partner.id] = frozenset(shas)
    return PersistedCatalog(by_ref=by_ref, by_name=by_name, allowed=allowed)
