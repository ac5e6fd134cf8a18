"""dss_access documents each entry's options (doc_fragments/dss_access.py) as dss_group and dss_user document their
own: the same text, types and choices, only the references to sibling options written O(groups[].x) /
O(users[].x). Ansible's doc fragments cannot put one module's options under another's list option, so the text is
written twice; this test keeps the two from drifting apart."""

from __future__ import annotations

import re

import pytest
import yaml

from ansible_collections.dataops.iam.plugins.doc_fragments.dss_access import ModuleDocFragment
from ansible_collections.dataops.iam.plugins.modules import dss_group, dss_user

FRAGMENT = yaml.safe_load(ModuleDocFragment.DOCUMENTATION)["options"]
GUARDS = {"allow_self_lockout", "allow_self_deletion"}  # options of the whole model in dss_access


def as_entry_docs(value, kind: str, siblings: set):
    """A module's option docs with O(x) of a sibling option written O(<kind>[].x)."""
    if isinstance(value, str):
        return re.sub(r"O\((\w+)(=[^)]*)?\)", lambda m: "O(%s[].%s%s)" % (kind, m.group(1), m.group(2) or "")
                      if m.group(1) in siblings else m.group(0), value)
    if isinstance(value, list):
        return [as_entry_docs(item, kind, siblings) for item in value]
    if isinstance(value, dict):
        return {key: as_entry_docs(item, kind, siblings) for key, item in value.items()}
    return value


@pytest.mark.parametrize("kind, module", [("groups", dss_group), ("users", dss_user)])
def test_each_entry_option_is_documented_as_its_module_documents_it(kind, module):
    options = yaml.safe_load(module.DOCUMENTATION)["options"]
    entry = FRAGMENT[kind]["suboptions"]
    assert sorted(entry) == sorted(set(options) - GUARDS)
    siblings = set(options)
    for name, docs in entry.items():
        assert docs == as_entry_docs(options[name], kind, siblings), name
