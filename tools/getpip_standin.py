"""Write the stand-in for the ``get-pip.py`` script that ansible-test downloads when it bootstraps a venv.

ansible-test builds its per-test virtual environments without pip, then fetches ``get-pip-<version>.py`` from
ci-files.testing.ansible.com, which this machine cannot reach. Before downloading it looks for a cached copy
at ``~/.ansible/test/cache/get_pip_<version>.py`` (the version with dots as underscores). This script writes
a small stand-in there: it bootstraps pip from the Python's own ``ensurepip`` and then installs what
ansible-test asked for (the pinned pip) with the machine's usual pip settings (index, certificates).

    python tools/getpip_standin.py        # run with the Python whose ansible-test will use it

The pip version is read from the installed ansible-test, so a newer ansible-core gets the right file name.
"""

from __future__ import annotations

import re
from pathlib import Path

STANDIN = '''"""Stand-in for get-pip.py, written by dataops.iam's tools/getpip_standin.py (ansible-test works offline here)."""
import ensurepip
import os
import subprocess
import sys

# ensurepip sets PIP_CONFIG_FILE=/dev/null in os.environ: keep the environment from before it, so the pip
# install below uses the machine's index and certificate settings.
ENVIRONMENT = dict(os.environ)
ensurepip.bootstrap(upgrade=True)
ARGS = [arg for arg in sys.argv[1:] if arg not in ("--no-setuptools", "--no-wheel")]
sys.exit(subprocess.call([sys.executable, "-m", "pip", "install"] + ARGS, env=ENVIRONMENT))
'''


def ansible_test_pip_version() -> str:
    """The pip version the installed ansible-test bootstraps (``get_venv_packages``' default)."""
    import ansible_test  # pylint: disable=import-outside-toplevel

    source = Path(ansible_test.__file__).parent.joinpath("_internal", "python_requirements.py").read_text()
    match = re.search(r"default_packages\s*=\s*dict\(\s*pip='([0-9.]+)'", source)
    if not match:
        raise SystemExit("getpip_standin: cannot find the pip version in ansible-test's python_requirements.py")
    return match.group(1)


def main() -> None:
    version = ansible_test_pip_version()
    path = Path.home() / ".ansible" / "test" / "cache" / ("get_pip_%s.py" % version.replace(".", "_"))
    if path.exists() and path.read_text() == STANDIN:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(STANDIN)
    print(f"getpip_standin: wrote {path}")


if __name__ == "__main__":
    main()
