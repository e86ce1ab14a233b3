from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil

import pytest

import services.client_info

MODULES = sorted(
    name
    for _, name, _ in pkgutil.iter_modules(services.client_info.__path__, "services.client_info.")
    if not name.endswith(".migrations")
)


def _isort_key(name: str) -> tuple[int, str]:
    """The order ruff's RUF022 keeps ``__all__`` in: CONSTANTS, then Classes, then functions."""
    return (0 if name.isupper() else 1 if name[0].isupper() else 2, name)


def _defined_names(tree: ast.Module) -> set[str]:
    """Top-level functions, classes and assignments of a module."""
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names |= {target.id for target in node.targets if isinstance(target, ast.Name)}
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return names


@pytest.mark.parametrize("module_name", MODULES)
def test_all_is_sorted_and_complete(module_name: str) -> None:
    module = importlib.import_module(module_name)
    exported = list(module.__all__)
    assert exported == sorted(exported, key=_isort_key)
    if module_name.endswith("__init__") or module is services.client_info:
        return
    public = {
        name for name in _defined_names(ast.parse(inspect.getsource(module))) if not name.startswith("_")
    }
    assert set(exported) == public


def test_package_reexports_its_api() -> None:
    assert services.client_info.__all__ == sorted(services.client_info.__all__, key=_isort_key)
    for name in services.client_info.__all__:
        assert getattr(services.client_info, name) is not None
