"""Every core_app module declares a sorted, complete ``__all__``."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from types import ModuleType

import pytest

import services.core_app

MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(services.core_app.__path__, "services.core_app.")
    if ".migrations" not in info.name and not info.name.endswith("__main__")
)


def isort_key(name: str) -> tuple[int, str]:
    """Constants, then classes, then functions (the order ruff's RUF022 keeps)."""
    return (0 if name.isupper() else 1 if name[0].isupper() else 2, name)


def public_names(module: ModuleType) -> set[str]:
    """Classes and functions defined in ``module`` whose names do not start with ``_``."""
    return {
        name
        for name, value in vars(module).items()
        if not name.startswith("_")
        and (inspect.isclass(value) or inspect.isfunction(value))
        and getattr(value, "__module__", None) == module.__name__
    }


@pytest.mark.parametrize("name", MODULES)
def test_all_is_sorted_and_complete(name: str) -> None:
    module = importlib.import_module(name)
    exported = list(module.__all__)
    assert exported == sorted(exported, key=isort_key), f"{name}.__all__ is not sorted"
    assert len(set(exported)) == len(exported)
    assert all(hasattr(module, item) for item in exported)
    assert public_names(module) <= set(exported), (
        f"{name} does not export {public_names(module) - set(exported)}"
    )


def test_the_osago_subpackage_is_covered() -> None:
    assert "services.core_app.osago.aggregator" in MODULES
