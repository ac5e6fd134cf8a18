"""Every module of the collection has its scenario in this layer: a new module gets one too."""

from __future__ import annotations

import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
MODULES = sorted(path.stem for path in (HERE.parents[1] / "plugins" / "modules").glob("*.py") if path.stem != "__init__")
RUN = re.compile(r"""tasks\.(?:run|read|converge|attempt)\(\s*["'](\w+)["']""")


def test_every_module_is_run_by_a_test_of_this_layer():
    run = set()
    for path in HERE.glob("test_*.py"):
        run.update(RUN.findall(path.read_text()))
    assert len(MODULES) >= 18
    assert sorted(set(MODULES) - run) == []
    assert sorted(run - set(MODULES)) == [], "a test runs a module that does not exist"


def test_every_managing_module_converges():
    converged = set()
    for path in HERE.glob("test_*.py"):
        converged.update(re.findall(r"""tasks\.converge\(\s*["'](\w+)["']""", path.read_text()))
    managing = {name for name in MODULES if not name.endswith("_info")} - {"cdf_token", "capabilities_check"}
    assert sorted(managing - converged) == []
