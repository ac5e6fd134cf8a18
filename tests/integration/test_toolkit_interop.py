"""No churn between cognite-toolkit and this collection, both directions, against the emulator with the pinned
toolkit (make toolkit): groups the toolkit deployed are no change to `access` and `group`; groups `access` made from
the same toolkit YAML are "Unchanged" to `cdf deploy --dry-run`.

The groups exercise what the two tools could disagree about: unsorted actions, capabilities out of ACL order, one ACL
split in two, raw tables with and without tables, data sets and security categories by name (the toolkit resolves
them at deploy; so does the collection), ``currentuserscope``, ``sourceId`` and ``members``, metadata. The
collection's runs take their connection from the environment the toolkit uses (``CDF_URL`` and ``CDF_CLUSTER``
both set, ``IDP_*``), as a team running both would.
"""

from __future__ import annotations

import re

import pytest

import toolkit_runner as toolkit
from emulator.cdf.seeds import person_id

ALICE, BOB = person_id("Alice"), person_id("Bob")
GROUPS = {
    "engineers.Group.yaml": {
        "name": "tk-engineers",
        "sourceId": "idp-tk-engineers",
        "metadata": {"origin": "cognite-toolkit", "team": "engineering"},
        "capabilities": [
            {"timeSeriesAcl": {"actions": ["WRITE", "READ"], "scope": {"datasetScope": {"ids": ["curated", "landing"]}}}},
            {"assetsAcl": {"actions": ["READ"], "scope": {"datasetScope": {"ids": ["landing"]}}}},
            {"assetsAcl": {"actions": ["WRITE"], "scope": {"datasetScope": {"ids": ["landing"]}}}},
            {"groupsAcl": {"actions": ["READ", "LIST"], "scope": {"currentuserscope": {}}}},
        ],
    },
    "loaders.Group.yaml": {
        "name": "tk-raw-loaders",
        "members": [BOB, ALICE],
        "capabilities": [
            {"rawAcl": {"actions": ["WRITE", "READ"], "scope": {"tableScope": {"dbsToTables": {"landing": ["t2", "t1"], "staging": []}}}}},
            {"eventsAcl": {"actions": ["READ"], "scope": {"all": {}}}},
            {"datasetsAcl": {"actions": ["READ"], "scope": {"all": {}}}},
        ],
    },
    "legal.Group.yaml": {
        "name": "tk-legal-readers",
        "sourceId": "idp-tk-legal",
        "capabilities": [
            {"securityCategoriesAcl": {"actions": ["MEMBEROF"], "scope": {"idscope": {"ids": ["tk-legal"]}}}},
            {"filesAcl": {"actions": ["READ"], "scope": {"all": {}}}},
        ],
    },
}
RESOURCES = {"auth": dict(GROUPS, **{"legal.SecurityCategory.yaml": {"name": "tk-legal"}})}
NAMES = sorted(group["name"] for group in GROUPS.values())
SUMMARY = re.compile(r"groups\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)")


@pytest.fixture(scope="module")
def project(tmp_path_factory, emulator):
    if not toolkit.available():
        pytest.fail("cognite-toolkit is not installed in %s: run make toolkit" % toolkit.TOOLKIT_VENV)
    folder = toolkit.write_project(tmp_path_factory.mktemp("interop") / "project", RESOURCES, project=emulator.project)
    toolkit.build(folder, emulator.url, project=emulator.project)
    return folder


def environment(emulator):
    """The collection's connection from the toolkit's own environment (CDF_CLUSTER beside CDF_URL)."""
    env = toolkit.toolkit_env(emulator.url, emulator.project)
    keep = ("CDF_URL", "CDF_CLUSTER", "CDF_PROJECT", "IDP_CLIENT_ID", "IDP_CLIENT_SECRET", "IDP_TOKEN_URL", "IDP_SCOPES",
            "IDP_AUDIENCE")
    return {key: env[key] for key in keep}


def model_task(project, name="access", **options):
    build = str(project / "build")
    return {"name": name, "dataops.iam.access": {
        "groups": "{{ lookup('dataops.iam.toolkit', '%s') }}" % build,
        "security_categories": "{{ lookup('dataops.iam.toolkit', '%s', kind='security_category') }}" % build,
        **options}}


def group_loop(project):
    return {"name": "groups", "dataops.iam.group": {
        "name": "{{ item.name }}", "capabilities": "{{ item.capabilities }}",
        "source_id": "{{ item.source_id | default(omit) }}", "members": "{{ item.members | default(omit) }}",
        "metadata": "{{ item.metadata | default(omit) }}"},
        "loop": "{{ lookup('dataops.iam.toolkit', '%s') }}" % (project / "build"), "loop_control": {"label": "{{ item.name }}"}}


def dry_run_counts(project, emulator):
    """(would create, update, delete, unchanged) of every group row of `cdf deploy --dry-run`."""
    output = toolkit.deploy(project, emulator.url, dry_run=True, project=emulator.project).stdout
    rows = [tuple(map(int, found)) for found in SUMMARY.findall(output)]
    assert rows, "no group rows in the toolkit's summary:\n" + output[-3000:]
    return [sum(row[column] for row in rows) for column in range(4)]


def ours(cdf):
    return sorted(group["name"] for group in cdf.groups() if group["name"].startswith("tk-"))


def test_groups_the_toolkit_deployed_are_no_change_to_access_and_group(run, cdf, clean_emulator, project):
    toolkit.deploy(project, clean_emulator.url, project=clean_emulator.project)
    assert ours(cdf) == NAMES
    ids = {group["name"]: group["id"] for group in cdf.groups()}
    clean_emulator.clear_log()
    env, defaults = environment(clean_emulator), {"group/dataops.iam.cdf": {}}
    checked = run([model_task(project)], check=True, diff=True, env=env, module_defaults=defaults).ok().result("access")
    assert {(row["name"], row["action"]) for row in checked["plan"]} == {(n, "unchanged") for n in NAMES + ["tk-legal"]}
    applied = run([model_task(project)], env=env, module_defaults=defaults).ok()
    looped = run([group_loop(project)], env=env, module_defaults=defaults).ok()
    assert applied.recap["changed"] == 0 and looped.recap["changed"] == 0
    assert clean_emulator.writes() == [], "not one write: the toolkit's groups are what the model says"
    assert {group["name"]: group["id"] for group in cdf.groups()} == ids


def test_groups_access_made_are_unchanged_to_the_toolkit(run, cdf, clean_emulator, project):
    env, defaults = environment(clean_emulator), {"group/dataops.iam.cdf": {}}
    made = run([model_task(project)], env=env, module_defaults=defaults).ok().result("access")
    assert made["counts"]["create"] == len(NAMES) + 1
    assert ours(cdf) == NAMES
    ids = {group["name"]: group["id"] for group in cdf.groups()}
    create, update, delete, unchanged = dry_run_counts(project, clean_emulator)
    assert (create, update, delete, unchanged) == (0, 0, 0, len(NAMES)), "cdf deploy --dry-run: every group unchanged"
    toolkit.deploy(project, clean_emulator.url, project=clean_emulator.project)
    assert {group["name"]: group["id"] for group in cdf.groups()} == ids, "cdf deploy replaced nothing"
