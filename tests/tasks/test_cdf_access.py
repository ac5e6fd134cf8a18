"""access: a whole model converged through check mode, the run and a re-run; the plan of each step."""

from __future__ import annotations

ASSETS_READ = {"assetsAcl": {"actions": ["READ"], "scope": {"all": {}}}}
MODEL = {
    "groups": [{"name": "engineers", "source_id": "idp-eng", "capabilities": [ASSETS_READ]}],
    "security_categories": ["confidential"],
}


def test_access_converges_and_each_plan_says_so(tasks):
    planned, done, again = tasks.converge("access", MODEL)
    assert [row["action"] for row in planned["plan"]] == ["create", "create"]
    assert planned["plan"] == done["plan"]
    assert [row["action"] for row in again["plan"]] == ["unchanged", "unchanged"]
    assert done["groups"][0]["id"] == again["groups"][0]["id"]
    assert again["security_categories"][0]["id"] > 0
    assert again["unmanaged"] == {"groups": ["admins", "readers"], "security_categories": []}


def test_access_purge_keeps_the_callers_group(tasks):
    planned, done, _again = tasks.converge("access", dict(MODEL, purge=True, protect=["read.*"]))
    actions = {row["name"]: row["action"] for row in done["plan"]}
    assert actions == {"confidential": "create", "engineers": "create", "admins": "protected", "readers": "protected"}
    assert planned["plan"] == done["plan"]
