"""The dataops.iam.toolkit lookup in real playbooks: a cognite-toolkit project built with the real `cdf build`
(tests/toolkit_runner.py), its build folder fed to dataops.iam.access against the emulator.

What is proven here: what `lookup()` and `query()` give (one list, and a list of one list) with one group and with
several, for groups and category names; a relative term found beside the playbook; the source files read with
`toolkit_vars` give what `cdf build` gives; check mode writes nothing; the run creates exactly the toolkit's groups
(fields as in the files) and categories; a re-run is `changed: false` with no write; a source file's unresolved
placeholder fails the task with the hint, and no traceback.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import toolkit_runner as toolkit
from ansible_collections.dataops.iam.plugins.module_utils.cdf.capabilities import capabilities_equal

VARIABLES = {"env_name": "dev", "readers_source_id": "idp-tk-readers"}
READERS = """\
# {{ env_name }}: the environment, from config.dev.yaml
name: tk-readers-{{ env_name }}
sourceId: {{ readers_source_id }}
metadata:
  origin: cognite-toolkit
  env: {{ env_name }}
capabilities:
  - assetsAcl:
      actions: [READ]
      scope: {all: {}}
  - groupsAcl:
      actions: [LIST, READ]
      scope: {all: {}}
"""
TEAM = [
    {
        "name": "tk-raw-loaders",
        "members": ["user-1", "user-2"],
        "capabilities": [
            {"rawAcl": {"actions": ["READ", "WRITE"], "scope": {"tableScope": {"dbsToTables": {"landing": ["t1", "t2"]}}}}},
            {"dataModelInstancesAcl": {"actions": ["READ"], "scope": {"spaceIdScope": {"spaceIds": ["sp-a", "sp-b"]}}}},
        ],
    },
    {
        "name": "tk-everyone",
        "members": "allUserAccounts",
        "metadata": {"owner": "platform"},
        "capabilities": [{"timeSeriesAcl": {"actions": ["READ"], "scope": {"all": {}}}}],
    },
]
RESOURCES = {
    "auth": {
        "readers.Group.yaml": READERS,
        "team.Group.yaml": TEAM,
        "legal.SecurityCategory.yaml": {"name": "tk-legal"},
        "more.SecurityCategory.yaml": [{"name": "tk-finance"}, {"name": "tk-hr"}],
    }
}
#: The groups the emulator must then hold, in the API's form as the files give them.
EXPECTED = {
    "tk-readers-dev": {"sourceId": "idp-tk-readers", "metadata": {"origin": "cognite-toolkit", "env": "dev"},
                       "capabilities": [{"assetsAcl": {"actions": ["READ"], "scope": {"all": {}}}},
                                        {"groupsAcl": {"actions": ["LIST", "READ"], "scope": {"all": {}}}}]},
    "tk-raw-loaders": {"members": ["user-1", "user-2"], "capabilities": TEAM[0]["capabilities"]},
    "tk-everyone": {"members": "allUserAccounts", "metadata": {"owner": "platform"}, "capabilities": TEAM[1]["capabilities"]},
}
CATEGORIES = ["tk-finance", "tk-hr", "tk-legal"]
LOOKUP = "lookup('dataops.iam.toolkit', tk_build)"


@pytest.fixture(scope="module")
def project(tmp_path_factory, emulator) -> Path:
    """The toolkit project, built once by the real `cdf build` (offline: the URL is only its environment's)."""
    if not toolkit.available():
        pytest.fail("cognite-toolkit is not installed in %s: run make toolkit" % toolkit.TOOLKIT_VENV)
    folder = toolkit.write_project(tmp_path_factory.mktemp("toolkit") / "project", RESOURCES, variables=VARIABLES)
    toolkit.build(folder, emulator.url)
    return folder


def toolkit_vars(project: Path) -> dict:
    return {"tk_build": str(project / "build"), "tk_source": str(project / "modules"), "tk_variables": VARIABLES}


def assertion(name: str, *conditions: str) -> dict:
    return {"name": name, "ansible.builtin.assert": {"that": list(conditions), "quiet": True}}


def access_task() -> dict:
    return {
        "name": "apply the toolkit model",
        "dataops.iam.access": {
            "groups": "{{ %s }}" % LOOKUP,
            "security_categories": "{{ lookup('dataops.iam.toolkit', tk_build, kind='security_category') }}",
        },
        "register": "access",
    }


def shape_tasks() -> list:
    """What lookup() and query() give, checked inside the playbook (templating as a play does it)."""
    one = "lookup('dataops.iam.toolkit', tk_build ~ '/auth/*-tk-everyone.Group.yaml')"
    return [
        assertion(
            "lookup() gives the list of groups",
            "%s | type_debug == 'list'" % LOOKUP,
            "%s | map(attribute='name') | sort == ['tk-everyone', 'tk-raw-loaders', 'tk-readers-dev']" % LOOKUP,
            "%s | type_debug == 'list' and %s | length == 1" % (one, one),
            "(%s)[0] == {'name': 'tk-everyone', 'members': ['allUserAccounts'], 'metadata': {'owner': 'platform'}, "
            "'capabilities': [{'timeSeriesAcl': {'actions': ['READ'], 'scope': {'all': {}}}}]}" % one,
        ),
        assertion(
            "query() and wantlist give a list of one list",
            "query('dataops.iam.toolkit', tk_build) | length == 1",
            "query('dataops.iam.toolkit', tk_build) | first == %s" % LOOKUP,
            "lookup('dataops.iam.toolkit', tk_build, wantlist=true) == query('dataops.iam.toolkit', tk_build)",
        ),
        assertion(
            "category names: a list, not a joined string",
            "lookup('dataops.iam.toolkit', tk_build, kind='security_category') | sort == %r" % CATEGORIES,
            "lookup('dataops.iam.toolkit', tk_build ~ '/auth/*tk-legal*', kind='security_category') == ['tk-legal']",
        ),
        assertion(
            "a relative term is found beside the playbook",
            "lookup('dataops.iam.toolkit', 'build/auth') == %s" % LOOKUP,
        ),
        assertion(
            "the source files with variables give what cdf build gives",
            "lookup('dataops.iam.toolkit', tk_source, toolkit_vars=tk_variables) | sort(attribute='name') == "
            "%s | sort(attribute='name')" % LOOKUP,
        ),
    ]


def test_a_built_toolkit_project_applies_and_converges(run, cdf, clean_emulator, project, tmp_path):
    shutil.copytree(project / "build", tmp_path / "run1" / "build")  # run1: the folder of the first playbook
    before = {group["name"] for group in cdf.groups()}
    clean_emulator.clear_log()

    checked = run([*shape_tasks(), access_task()], check=True, extra_vars=toolkit_vars(project)).ok()
    planned = checked.result("apply the toolkit model")
    assert planned["changed"] is True and planned["counts"]["create"] == 6, planned["counts"]
    assert clean_emulator.writes() == [], "check mode writes nothing"

    applied = run([access_task()], extra_vars=toolkit_vars(project)).ok().result("apply the toolkit model")
    assert applied["changed"] is True and applied["counts"]["create"] == 6
    created = {group["name"]: group for group in cdf.groups() if group["name"] not in before}
    assert sorted(created) == sorted(EXPECTED)
    for name, fields in EXPECTED.items():
        group = created[name]
        assert capabilities_equal(group["capabilities"], fields["capabilities"]), (name, group["capabilities"])
        assert group.get("sourceId") == fields.get("sourceId", group.get("sourceId")), name
        assert group.get("metadata", {}) == fields.get("metadata", {}), name
        if fields.get("members") == "allUserAccounts":
            assert group["members"] == "allUserAccounts"
        elif "members" in fields:
            assert sorted(group["members"]) == fields["members"], name
    categories = cdf.http.get("/securitycategories").raise_for_status().json()["items"]
    assert set(CATEGORIES) <= {item["name"] for item in categories}

    clean_emulator.clear_log()
    again = run([access_task()], extra_vars=toolkit_vars(project)).ok()
    assert again.result("apply the toolkit model")["changed"] is False
    assert again.recap["changed"] == 0 and clean_emulator.writes() == []


def test_source_files_with_placeholders_fail_with_the_hint(run, clean_emulator, project):
    clean_emulator.clear_log()
    failed = run([access_task() | {"dataops.iam.access": {"groups": "{{ lookup('dataops.iam.toolkit', tk_source) }}"}}],
                 extra_vars=toolkit_vars(project))
    output = failed.stdout + failed.stderr
    assert failed.rc != 0 and failed.recap["failed"] == 1
    assert "readers.Group.yaml line 2: unresolved placeholder {{ env_name }}" in output, output
    assert "the folder `cdf build` writes" in output and "`toolkit_vars` option" in output
    assert "Traceback" not in output
    assert clean_emulator.writes() == []
