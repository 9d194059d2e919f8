"""Benchmark scripts' modules loaded by their file, as the scripts load each other (benchmarks/ is no package)."""

import importlib.util
import sys
from types import ModuleType

from provider_dir.config import PROJECT_ROOT


def benchmark_module(name: str) -> ModuleType:
    """Return benchmarks/<name>.py as a module, registered under its name (dataclasses look their module up there)."""
    spec = importlib.util.spec_from_file_location(name, PROJECT_ROOT / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(name, module)
    spec.loader.exec_module(module)
    return module
