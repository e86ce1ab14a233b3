"""Every module of the package declares a sorted, complete ``__all__``."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from types import ModuleType

import pytest

import services.applications

MODULES = [
    importlib.import_module(f"services.applications.{info.name}")
    for info in pkgutil.iter_modules(services.applications.__path__)
    if info.name != "__main__"
]


@pytest.mark.parametrize("module", [services.applications, *MODULES], ids=lambda m: m.__name__)
def test_all_is_sorted_and_complete(module: ModuleType) -> None:
    exported = list(module.__all__)
    assert exported == sorted(exported, key=lambda name: (not name.isupper(), not name[0].isupper(), name))
    for name in exported:
        assert hasattr(module, name), name
    defined = {
        name
        for name, value in vars(module).items()
        if not name.startswith("_")
        and (inspect.isfunction(value) or inspect.isclass(value))
        and getattr(value, "__module__", None) == module.__name__
    }
    assert defined <= set(exported)


def test_main_help(capsys: pytest.CaptureFixture[str]) -> None:
    from services.applications.__main__ import main

    with pytest.raises(SystemExit) as caught:
        main(["--help"])
    assert caught.value.code == 0
    assert "--port" in capsys.readouterr().out
