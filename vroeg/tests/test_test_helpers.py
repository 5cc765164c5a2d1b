"""Test helpers live in testkit/, not in test packages that other tests then import."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEST_DIRS = sorted(p for p in ROOT.glob("**/tests") if ".venv" not in p.parts and (p / "__init__.py").exists())


def test_test_packages_hold_only_tests():
    helpers = [
        str(f.relative_to(ROOT))
        for d in TEST_DIRS
        for f in d.glob("*.py")
        if not (f.name.startswith("test_") or f.name in ("__init__.py", "conftest.py"))
    ]
    assert len(TEST_DIRS) >= 10
    assert helpers == [], "move these helpers to testkit/"


def test_no_test_module_imports_another_test_module():
    offenders = []
    for d in TEST_DIRS:
        for f in d.glob("*.py"):
            for node in ast.walk(ast.parse(f.read_text())):
                if isinstance(node, ast.ImportFrom):
                    names = [node.module or ""] if node.level == 0 else [f"(relative) {node.module}"]
                elif isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                else:
                    continue
                offenders += [
                    f"{f.relative_to(ROOT)}: {n}"
                    for n in names
                    if n.startswith("(relative)") or ".tests" in n or n.split(".")[0] == "conftest"
                ]
    assert offenders == [], "import helpers from testkit instead"
