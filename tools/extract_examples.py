"""Write every module's EXAMPLES out as a playbook, so that ansible-lint checks what users copy.

    python tools/extract_examples.py DEST

For each ``plugins/modules/<name>.py`` (found by listing the folder: new modules are picked up on their own)
this writes ``DEST/playbooks/<name>.yml``: the EXAMPLES text as it stands when it is a list of plays, or,
when it is a list of tasks, the same text indented under ``tasks:`` of one play on localhost. The text is
kept byte for byte (only indented), so ansible-lint's yaml rule sees the author's own formatting.
``DEST/.ansible-lint`` makes the production profile apply there too.

EXAMPLES is read with ``ast`` (the module is not imported). A module without EXAMPLES, or with EXAMPLES that
are not YAML, stops the script with the module's name: every module must show how it is used.
"""

from __future__ import annotations

import ast
import shutil
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
LINT_CONFIG = """---
# Written by tools/extract_examples.py: the modules' EXAMPLES are linted with the project's profile.
profile: production
offline: true
"""
WRAPPER = """---
# EXAMPLES of dataops.iam.{name} (plugins/modules/{name}.py), as a play. Written by tools/extract_examples.py.
- name: Examples of dataops.iam.{name}
  hosts: localhost
  connection: local
  gather_facts: false
  vars:
    ansible_python_interpreter: "{{{{ ansible_playbook_python }}}}"
  tasks:
{tasks}"""


def module_examples(path: Path) -> str:
    """The EXAMPLES string of a module file."""
    for node in ast.parse(path.read_text(encoding="utf-8"), str(path)).body:
        if isinstance(node, ast.Assign) and any(getattr(target, "id", None) == "EXAMPLES" for target in node.targets):
            if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
                return node.value.value
    raise SystemExit(f"extract_examples: {path.relative_to(REPO)} has no EXAMPLES string")


def as_playbook(name: str, text: str) -> str:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise SystemExit(f"extract_examples: the EXAMPLES of {name} are not valid YAML: {exc}") from None
    if not isinstance(data, list) or not data or not all(isinstance(item, dict) for item in data):
        raise SystemExit(f"extract_examples: the EXAMPLES of {name} must be a non-empty list of tasks or plays")
    body = text.strip("\n").replace("\n---\n", "\n")
    if body.startswith("---\n"):
        body = body[4:]
    if all("hosts" in item for item in data):
        return "---\n# EXAMPLES of dataops.iam.%s (plugins/modules/%s.py). Written by tools/extract_examples.py.\n%s\n" % (
            name,
            name,
            body,
        )
    if any("hosts" in item for item in data):
        raise SystemExit(f"extract_examples: the EXAMPLES of {name} mix plays and tasks")
    tasks = "".join(("    " + line if line.strip() else "") + "\n" for line in body.splitlines())
    return WRAPPER.format(name=name, tasks=tasks)


def main() -> None:
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    dest = Path(sys.argv[1]).resolve()
    if dest == REPO or dest in REPO.parents:
        raise SystemExit(f"extract_examples: refusing to write into {dest}")
    if dest.exists():
        shutil.rmtree(dest)
    (dest / "playbooks").mkdir(parents=True)
    (dest / ".ansible-lint").write_text(LINT_CONFIG)
    modules = sorted(path for path in (REPO / "plugins" / "modules").glob("*.py") if path.name != "__init__.py")
    for path in modules:
        name = path.stem
        (dest / "playbooks" / f"{name}.yml").write_text(as_playbook(name, module_examples(path)))
    print(f"extract_examples: {len(modules)} modules' EXAMPLES written to {dest}/playbooks")


if __name__ == "__main__":
    main()
