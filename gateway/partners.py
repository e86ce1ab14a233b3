"""The partner registry: who may call the gateway with an API key, how fast, and what.

Partners are configured in ``deploy/partners.yaml`` (``--partners`` / ``PARTNERS_FILE``). API keys
are stored only as ``sha256:<hex>`` digests. The file is validated as a whole at start, with
errors that name the bad entry; ``RegistrySource`` re-reads it when it changes and keeps the last
good registry when a new version is invalid.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import yaml
from limits import parse_many

from gateway.types import PartnerId

__all__ = [
    "DEFAULT_LIMITS",
    "OperationLimits",
    "Partner",
    "PartnerConfigError",
    "PartnerRegistry",
    "RegistrySource",
    "hash_api_key",
    "load_registry",
    "parse_registry",
]

_log = logging.getLogger(__name__)
_KEY_HASH = re.compile(r"^sha256:[0-9a-f]{64}$")
_PARTNER_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{1,63}$")


class PartnerConfigError(ValueError):
    """The partner file is invalid; the message names the entry and what to fix."""


@dataclass(frozen=True, slots=True)
class OperationLimits:
    """Static limits an operation must respect before it is planned."""

    max_depth: int = 15
    """Deepest selection-set nesting."""
    max_aliases: int = 30
    max_root_fields: int = 20
    max_tokens: int = 5_000
    max_cost: int = 50_000
    """Estimated cost: every field costs 1, multiplied by the list sizes above it."""
    default_list_size: int = 20
    """List size assumed for a list field without a ``first``/``limit``/``ids`` argument."""


DEFAULT_LIMITS = OperationLimits()


@dataclass(frozen=True, slots=True)
class Partner:
    """One partner integration."""

    id: PartnerId
    name: str
    key_hashes: frozenset[str]
    rate_limit: str
    """In the ``limits`` notation, e.g. ``"20/second;600/minute"``; empty means unlimited."""
    manifests: tuple[Path, ...]
    """Persisted-operation manifests (Apollo format) whose operations this partner may run."""
    limits: OperationLimits = DEFAULT_LIMITS
    persisted_only: bool = True
    """Partners run persisted operations only (the safelist)."""
    free_form_in_dev: bool = False
    """With ``persisted_only``, still accept free-form documents when the gateway runs with ``--dev``.

    For first-party apps: production safelists exactly the app's manifest, development keeps
    GraphiQL and new operations working before they are in the manifest."""
    first_party: bool = False
    """Our own client (the web app): subgraphs get no ``x-partner-id`` and it sees every partner's
    data. Every other partner sees only what it created."""
    max_in_flight: int = 4
    """Requests of this partner executing at once on one gateway process; more wait their turn.

    A bulkhead: a partner's admitted burst (a moving window lets a whole window's worth through
    at once) cannot occupy the event loop and the subgraphs ahead of every other partner."""


@dataclass(frozen=True, slots=True)
class PartnerRegistry:
    """An immutable snapshot of the partner file."""

    partners: Mapping[PartnerId, Partner] = field(default_factory=dict)
    default_limits: OperationLimits = DEFAULT_LIMITS
    _by_key_hash: Mapping[str, Partner] = field(default_factory=dict, repr=False)

    def authenticate(self, api_key: str) -> Partner | None:
        """The partner owning ``api_key``, or ``None``."""
        return self._by_key_hash.get(hash_api_key(api_key))


def hash_api_key(api_key: str) -> str:
    """The stored form of an API key: ``sha256:<hex>``."""
    return "sha256:" + hashlib.sha256(api_key.encode("utf-8")).hexdigest()


def _parse_limits(raw: Any, where: str, base: OperationLimits) -> OperationLimits:
    if raw is None:
        return base
    if not isinstance(raw, dict):
        raise PartnerConfigError(f"{where}: 'limits' must be a mapping of limit names to positive integers.")
    known = {f.name for f in fields(OperationLimits)}
    values: dict[str, int] = {}
    for name, value in raw.items():
        if name not in known:
            raise PartnerConfigError(f"{where}: unknown limit {name!r}; known limits are {sorted(known)}.")
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            raise PartnerConfigError(f"{where}: limit {name!r} must be a positive integer, got {value!r}.")
        values[name] = value
    merged = {f.name: getattr(base, f.name) for f in fields(OperationLimits)} | values
    return OperationLimits(**merged)


def _parse_rate_limit(raw: Any, where: str) -> str:
    if raw in (None, ""):
        return ""
    if not isinstance(raw, str):
        raise PartnerConfigError(f"{where}: 'rate_limit' must be a string such as '20/second;600/minute'.")
    try:
        parse_many(raw)
    except ValueError as exc:
        raise PartnerConfigError(
            f"{where}: rate_limit {raw!r} is not in the limits notation ('20/second;600/minute')."
        ) from exc
    return raw


def _parse_partner(raw: Any, index: int, base_dir: Path, default_limits: OperationLimits) -> Partner:
    where = f"partners[{index}]"
    if not isinstance(raw, dict):
        raise PartnerConfigError(f"{where}: each partner must be a mapping with 'id', 'name' and 'api_keys'.")
    partner_id = raw.get("id")
    if not isinstance(partner_id, str) or not _PARTNER_ID.match(partner_id):
        raise PartnerConfigError(
            f"{where}: 'id' must be 2-64 lowercase letters, digits, '-' or '_', got {partner_id!r}."
        )
    where = f"partners[{index}] ({partner_id!r})"
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise PartnerConfigError(f"{where}: 'name' is required.")
    keys = raw.get("api_keys")
    if not isinstance(keys, list) or not keys:
        raise PartnerConfigError(
            f"{where}: 'api_keys' must list at least one 'sha256:<64 hex digits>' digest."
        )
    for key in keys:
        if not isinstance(key, str) or not _KEY_HASH.match(key):
            raise PartnerConfigError(
                f"{where}: api key {key!r} is not 'sha256:<64 lowercase hex digits>'; store digests, never keys."
            )
    manifests_raw = raw.get("manifests", [])
    if not isinstance(manifests_raw, list) or not all(isinstance(m, str) for m in manifests_raw):
        raise PartnerConfigError(f"{where}: 'manifests' must be a list of file paths.")
    manifests = tuple((base_dir / m).resolve() for m in manifests_raw)
    for manifest in manifests:
        if not manifest.is_file():
            raise PartnerConfigError(f"{where}: manifest {str(manifest)!r} does not exist.")
    persisted_only = raw.get("persisted_only", True)
    first_party = raw.get("first_party", False)
    free_form_in_dev = raw.get("free_form_in_dev", False)
    for flag, value in (
        ("persisted_only", persisted_only),
        ("free_form_in_dev", free_form_in_dev),
        ("first_party", first_party),
    ):
        if not isinstance(value, bool):
            raise PartnerConfigError(f"{where}: {flag!r} must be true or false.")
    max_in_flight = raw.get("max_in_flight", 4)
    if not isinstance(max_in_flight, int) or isinstance(max_in_flight, bool) or max_in_flight <= 0:
        raise PartnerConfigError(
            f"{where}: 'max_in_flight' must be a positive integer, got {max_in_flight!r}."
        )
    return Partner(
        id=PartnerId(partner_id),
        name=name.strip(),
        key_hashes=frozenset(keys),
        rate_limit=_parse_rate_limit(raw.get("rate_limit"), where),
        manifests=manifests,
        limits=_parse_limits(raw.get("limits"), where, default_limits),
        persisted_only=persisted_only,
        free_form_in_dev=free_form_in_dev,
        first_party=first_party,
        max_in_flight=max_in_flight,
    )


def parse_registry(document: Any, base_dir: Path) -> PartnerRegistry:
    """Validate a parsed partner file; ``base_dir`` resolves relative manifest paths.

    Raises:
        PartnerConfigError: naming the first bad entry.
    """
    if document is None:
        document = {}
    if not isinstance(document, dict):
        raise PartnerConfigError("The partner file must be a mapping with a 'partners' list.")
    unknown = set(document) - {"partners", "defaults"}
    if unknown:
        raise PartnerConfigError(
            f"Unknown top-level keys {sorted(unknown)}; expected 'partners' and 'defaults'."
        )
    defaults = document.get("defaults") or {}
    if not isinstance(defaults, dict):
        raise PartnerConfigError("'defaults' must be a mapping.")
    default_limits = _parse_limits(defaults.get("limits"), "defaults", DEFAULT_LIMITS)
    raw_partners = document.get("partners") or []
    if not isinstance(raw_partners, list):
        raise PartnerConfigError("'partners' must be a list.")
    partners: dict[PartnerId, Partner] = {}
    by_key: dict[str, Partner] = {}
    for index, raw in enumerate(raw_partners):
        partner = _parse_partner(raw, index, base_dir, default_limits)
        if partner.id in partners:
            raise PartnerConfigError(f"partners[{index}]: duplicate partner id {partner.id!r}.")
        for key in partner.key_hashes:
            if key in by_key:
                raise PartnerConfigError(
                    f"partners[{index}] ({partner.id!r}): api key {key[:15]}… is also used by {by_key[key].id!r}."
                )
            by_key[key] = partner
        partners[partner.id] = partner
    return PartnerRegistry(partners=partners, default_limits=default_limits, _by_key_hash=by_key)


def load_registry(path: Path) -> PartnerRegistry:
    """Read and validate the partner file at ``path``."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PartnerConfigError(f"Cannot read the partner file {str(path)!r}: {exc.strerror}.") from exc
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise PartnerConfigError(f"The partner file {str(path)!r} is not valid YAML: {exc}.") from exc
    return parse_registry(document, path.parent)


class RegistrySource:
    """The current registry of a partner file, re-read when the file changes.

    A change that does not validate is logged and ignored: the last good registry stays in force.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.current = load_registry(path)
        self._stamp = self._read_stamp()
        self.last_error: str | None = None

    def _read_stamp(self) -> tuple[int, int] | None:
        try:
            stat = os.stat(self.path)
        except OSError:
            return None
        return (stat.st_mtime_ns, stat.st_size)

    def refresh(self) -> bool:
        """Reload if the file changed; returns whether a new registry is in force."""
        stamp = self._read_stamp()
        if stamp == self._stamp:
            return False
        self._stamp = stamp
        try:
            registry = load_registry(self.path)
        except PartnerConfigError as exc:
            self.last_error = str(exc)
            _log.error("partner file change rejected, keeping the last good config: %s", exc)
            return False
        self.current = registry
        self.last_error = None
        _log.info("partner file reloaded: %d partners", len(registry.partners))
        return True
