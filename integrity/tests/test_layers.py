"""The layers import only to their left: integrity ← rules ← accountability."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ["integrity", "rules", "accountability"]


def imported_modules(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


@pytest.mark.parametrize("layer", LAYERS)
def test_a_layer_never_imports_a_higher_one(layer):
    higher = LAYERS[LAYERS.index(layer) + 1 :]
    offenders = []
    for path in (ROOT / layer).rglob("*.py"):
        for module in imported_modules(path):
            if module.split(".")[0] in higher:
                offenders.append(f"{path.relative_to(ROOT)} imports {module}")
    assert offenders == []
