"""Make the Sphinx site that ``antsibull-docs sphinx-init`` wrote build offline (``make docs``).

    python tools/docsite_offline.py DOCSITE

The generated ``conf.py`` maps intersphinx to remote inventories (Python, Jinja, the Ansible docs), which
Sphinx fetches at build time; offline that is a warning, and ``build.sh`` runs Sphinx with ``-W``. The module
pages refer to a few labels of the main Ansible documentation. This script writes a local Sphinx inventory
(format version 2) with those labels, pointing at docs.ansible.com, and appends an ``intersphinx_mapping``
that uses only it to ``conf.py``: the links in the built pages still go to the real pages.

A page that refers to a label missing here fails the build with "undefined label": add the label below.
"""

from __future__ import annotations

import sys
import zlib
from pathlib import Path

BASE_URL = "https://docs.ansible.com/ansible/latest/"
INVENTORY = "ansible.inv"
# label -> (page, anchor, title): the labels that antsibull-docs' module and collection pages refer to.
LABELS = {
    "common_return_values": (
        "reference_appendices/common_return_values.html",
        "common-return-values",
        "Return Values",
    ),
    "ansible_configuration_settings": (
        "reference_appendices/config.html",
        "ansible-configuration-settings",
        "Ansible Configuration Settings",
    ),
    "module_defaults": (
        "playbook_guide/playbooks_module_defaults.html",
        "module-defaults",
        "Module defaults",
    ),
    "check_mode_dry": (
        "playbook_guide/playbooks_checkmode.html",
        "check-mode-dry",
        "Validating tasks: check mode and diff mode",
    ),
    "action_plugins": (
        "plugins/action.html",
        "action-plugins",
        "Action plugins",
    ),
    "interpreter_discovery": (
        "reference_appendices/interpreter_discovery.html",
        "interpreter-discovery",
        "Interpreter Discovery",
    ),
}
CONF_APPENDIX = f"""

# Appended by dataops.iam's tools/docsite_offline.py: resolve the Ansible documentation's labels from a local
# inventory instead of fetching remote ones, so that the build works offline (the path is relative to rst/).
intersphinx_mapping = {{
    'ansible': ({BASE_URL!r}, '../{INVENTORY}'),
}}
"""


def inventory() -> bytes:
    header = (
        "# Sphinx inventory version 2\n"
        "# Project: Ansible\n"
        "# Version: latest\n"
        "# The remainder of this file is compressed using zlib.\n"
    )
    lines = "".join(
        f"{label} std:label -1 {page}#{anchor} {title}\n" for label, (page, anchor, title) in sorted(LABELS.items())
    )
    return header.encode() + zlib.compress(lines.encode())


def main() -> None:
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    docsite = Path(sys.argv[1])
    conf = docsite / "conf.py"
    if not conf.is_file():
        raise SystemExit(f"docsite_offline: {conf} does not exist; run antsibull-docs sphinx-init first")
    (docsite / INVENTORY).write_bytes(inventory())
    conf.write_text(conf.read_text() + CONF_APPENDIX)
    print(f"docsite_offline: {docsite / INVENTORY} written ({len(LABELS)} labels), intersphinx set offline")


if __name__ == "__main__":
    main()
