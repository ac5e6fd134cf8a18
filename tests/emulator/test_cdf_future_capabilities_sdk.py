"""Emulator side: CDF stores and returns actions, ACLs and scopes newer than its clients.

cognite-sdk 8.22 loads API responses with ``allow_unknown=True``: a known ACL with an unknown action stays that
ACL's class, with the action kept (``Capability.Action.load`` makes a one-off enum member); an unknown scope
becomes ``UnknownScope``. Toolkit PRs #2963 (unknown actions) and #2834 (``agentExternalIdScope`` on ``agentsAcl``)
report both from real clusters. A known scope in a malformed shape is still a 400.
"""

from __future__ import annotations

import pytest
from cognite.client.data_classes import GroupWrite
from cognite.client.data_classes.capabilities import AgentsAcl, Capability, GroupsAcl, UnknownScope
from cognite.client.exceptions import CogniteAPIError

FUTURE_ACTION = {"groupsAcl": {"actions": ["LIST", "IMPERSONATE"], "scope": {"all": {}}}}
FUTURE_SCOPE = {"agentsAcl": {"actions": ["READ"], "scope": {"agentExternalIdScope": {"externalIds": ["a1"]}}}}
FUTURE_ACL = {"videoStreamingAcl": {"actions": ["SUBSCRIBE"], "scope": {"all": {}}}}


def test_the_sdk_loads_an_unknown_action_of_a_known_acl_only_with_allow_unknown() -> None:
    loaded = Capability.load(FUTURE_ACTION, allow_unknown=True)
    assert isinstance(loaded, GroupsAcl) and [a.value for a in loaded.actions] == ["LIST", "IMPERSONATE"]
    with pytest.raises(ValueError, match="IMPERSONATE"):
        Capability.load(FUTURE_ACTION)


def test_a_group_with_future_actions_acls_and_scopes_is_created_and_read_back_as_sent(admin) -> None:
    capabilities = [Capability.load(cap, allow_unknown=True) for cap in (FUTURE_ACTION, FUTURE_SCOPE, FUTURE_ACL)]
    (created,) = admin.iam.groups.create([GroupWrite(name="future", source_id="f", capabilities=capabilities)])
    (listed,) = [group for group in admin.iam.groups.list(all=True) if group.name == "future"]
    assert listed.id == created.id
    assert [cap.dump() for cap in listed.capabilities] == [FUTURE_ACTION, FUTURE_SCOPE, FUTURE_ACL]
    assert isinstance(listed.capabilities[0], GroupsAcl)
    assert isinstance(listed.capabilities[1], AgentsAcl) and isinstance(listed.capabilities[1].scope, UnknownScope)


@pytest.mark.parametrize(
    "capability",
    [
        {"datasetsAcl": {"actions": ["READ"], "scope": {"idScope": {"ids": ["x"]}}}},
        {"groupsAcl": {"actions": ["LIST"], "scope": {"all": {}, "currentuserscope": {}}}},
        {"groupsAcl": {"actions": "LIST", "scope": {"all": {}}}},
        {"agentsAcl": {"actions": ["READ"], "scope": {"datasetScope": {"id": [1]}}}},
    ],
)
def test_a_known_scope_or_acl_in_a_malformed_shape_is_still_a_400(clean_emulator, capability) -> None:
    headers = {"Authorization": f"Bearer {clean_emulator.admin_token()}"}
    body = {"items": [{"name": "bad", "sourceId": "b", "capabilities": [capability]}]}
    response = clean_emulator.http.post("/api/v1/projects/demo/groups", headers=headers, json=body)
    assert response.status_code == 400, response.text
    assert response.json()["error"]["code"] == 400


def test_the_sdk_sees_the_400_for_a_malformed_known_scope(admin) -> None:
    bad = {"datasetsAcl": {"actions": ["READ"], "scope": {"idScope": {"ids": ["x"]}}}}
    with pytest.raises(CogniteAPIError) as err:
        admin.post("/api/v1/projects/demo/groups", json={"items": [{"name": "bad", "sourceId": "b", "capabilities": [bad]}]})
    assert err.value.code == 400
