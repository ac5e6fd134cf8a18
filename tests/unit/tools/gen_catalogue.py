# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Generate plugins/module_utils/cdf/catalogue.py, the ACL catalogue of the capability helper.

The source is the installed cognite-sdk's Capability classes (cognite/client/data_classes/capabilities.py),
introspected; tests/unit/plugins/module_utils/cdf/test_catalogue.py checks the file against them:
  python tests/unit/tools/gen_catalogue.py                 # introspect cognite-sdk
  python tests/unit/tools/gen_catalogue.py --json FILE     # the same data as JSON: {"source": ..., "acls": ...}
Add ``--check`` to compare instead of writing (exit status 1 when the file is stale).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
TARGET = REPO / "plugins" / "module_utils" / "cdf" / "catalogue.py"
# The field types the helper understands (see capabilities._SCOPE_KINDS).
KNOWN_FIELD_TYPES = {
    "list[int]",
    "list[str]",
    "list[Literal['SEARCH']]",
    "dict[str, list[str] | dict[str, list[str]]]",
}


def from_json(path: Path) -> tuple[str, dict]:
    """(source, acls) from a JSON file of the shape {"source": str, "acls": {name: {actions, scopes, legacy}}}."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return data["source"], data["acls"]


def from_sdk() -> tuple[str, dict]:
    """(source, acls) by introspecting cognite-sdk's Capability subclasses."""
    import dataclasses
    import inspect

    from cognite.client import __version__
    from cognite.client.data_classes import capabilities as caps
    from cognite.client.utils._text import to_camel_case

    acls: dict = {}
    for cls in [*caps.Capability.__subclasses__(), *caps.LegacyCapability.__subclasses__()]:
        if cls in (caps.UnknownAcl, caps.LegacyCapability):
            continue
        scopes = {}
        for scope_cls in vars(cls.Scope).values():
            if inspect.isclass(scope_cls):
                fields = dataclasses.fields(scope_cls)
                scopes[scope_cls._scope_name] = {to_camel_case(f.name): f.type for f in fields}
        entry: dict = {"actions": [action.value for action in cls.Action], "scopes": scopes}
        if issubclass(cls, caps.LegacyCapability):
            entry["legacy"] = True
        acls[cls._capability_name] = entry
    source = "cognite-sdk %s, cognite/client/data_classes/capabilities.py (introspected)" % __version__
    return source, acls


def check(acls: dict) -> None:
    """Refuse data the helper would misread: unknown field types, one scope name with two shapes."""
    shapes: dict = {}
    for name, acl in acls.items():
        for scope, fields in acl["scopes"].items():
            if len(fields) > 1:
                raise SystemExit("%s.%s has %d fields; the helper expects at most one" % (name, scope, len(fields)))
            for field_type in fields.values():
                if field_type not in KNOWN_FIELD_TYPES:
                    raise SystemExit("%s.%s: field type %r is new: teach capabilities.py" % (name, scope, field_type))
            if shapes.setdefault(scope, fields) != fields:
                raise SystemExit("scope %s has two shapes: %r and %r" % (scope, shapes[scope], fields))


def _py(value: object) -> str:
    """A Python literal for JSON-like data (strings with double quotes, as black writes them)."""
    if value is True:
        return "True"
    return json.dumps(value, ensure_ascii=False)


def render(source: str, acls: dict) -> str:
    """The text of catalogue.py: ACLs sorted by name, actions and scopes in the SDK's order."""
    lines = [
        "# -*- coding: utf-8 -*-",
        "# Copyright: dataops.iam contributors",
        "# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)",
        "#",
        "# GENERATED FILE, do not edit by hand. Source: " + source + ".",
        "# Regenerate after upgrading cognite-sdk with",
        "#   python tests/unit/tools/gen_catalogue.py",
        "# tests/unit/plugins/module_utils/cdf/test_catalogue.py fails when this file and the installed cognite-sdk disagree.",
        '"""The CDF ACL catalogue: each ACL\'s actions and scopes (scope -> {field: type}); legacy ACLs marked."""',
        "",
        "from __future__ import annotations",
        "",
        "from typing import Any",
        "",
        "SOURCE = " + _py(source),
        "",
        "ACLS: dict[str, dict[str, Any]] = {",
    ]
    for name in sorted(acls):
        acl = acls[name]
        lines.append("    %s: {" % _py(name))
        lines.append('        "actions": %s,' % _py(acl["actions"]))
        lines.append('        "scopes": {')
        for scope, fields in acl["scopes"].items():
            lines.append("            %s: %s," % (_py(scope), _py(fields)))
        lines.append("        },")
        if acl.get("legacy"):
            lines.append('        "legacy": True,')
        lines.append("    },")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--json", type=Path, help="read the catalogue from this JSON file instead of cognite-sdk")
    source.add_argument("--from-sdk", action="store_true", help="introspect the installed cognite-sdk (the default)")
    parser.add_argument("--check", action="store_true", help="only report whether catalogue.py is up to date")
    args = parser.parse_args(argv)
    origin, acls = from_json(args.json) if args.json else from_sdk()
    check(acls)
    text = render(origin, acls)
    if args.check:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        print("up to date" if current == text else "%s is stale: regenerate it" % TARGET)
        return 0 if current == text else 1
    TARGET.write_text(text, encoding="utf-8")
    print("wrote %s (%d ACLs)" % (TARGET, len(acls)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
