"""The core backend: products, insurers, tariffs, policies and the OSAGO quote aggregator (gRPC)."""

from services.core_app.app import MIGRATIONS_DIR, build_spec
from services.core_app.seed import seed

__all__ = ["MIGRATIONS_DIR", "build_spec", "seed"]
