"""The rule for copies made by racing runs (duplicates.py) and deletes that find a group already gone
(groups.delete_groups): every racer keeps the same copy, never deletes a group that differs, and counts a
"missing" answer as done."""

from __future__ import annotations

import itertools

import pytest

from ansible_collections.dataops.iam.plugins.module_utils.cdf.duplicates import is_copy, race_note, settle
from ansible_collections.dataops.iam.plugins.module_utils.cdf.groups import delete_groups
from ansible_collections.dataops.iam.plugins.module_utils.http import ApiError

CAPS = [{"groupsAcl": {"actions": ["READ", "LIST"], "scope": {"all": {}}}}]
PAYLOAD = {"name": "team", "sourceId": "idp-team", "capabilities": CAPS, "metadata": {"owner": "a"}}


def copy(group_id, **fields):
    group = {"id": group_id, "isDeleted": False, "deletedTime": -1, "members": None, **PAYLOAD}
    group["capabilities"] = [{"groupsAcl": {"actions": ["LIST", "READ"], "scope": {"all": {}}}}]  # another order
    group.update(fields)
    return group


def test_an_identical_copy_is_one_whatever_the_order_of_its_capabilities():
    assert is_copy(copy(5), PAYLOAD)


@pytest.mark.parametrize(
    "fields",
    [
        {"name": "other"},
        {"sourceId": "idp-other"},
        {"metadata": {"owner": "b"}},
        {"metadata": {}},
        {"attributes": {"token": {"appIds": ["x"]}}},
        {"capabilities": [{"groupsAcl": {"actions": ["LIST"], "scope": {"all": {}}}}]},
        {"members": ["u1"]},
    ],
)
def test_a_group_that_differs_in_any_field_is_no_copy(fields):
    assert not is_copy(copy(5, **fields), PAYLOAD)


def test_a_field_the_payload_leaves_out_must_be_empty_in_a_copy():
    payload = {"name": "team", "capabilities": CAPS}
    assert is_copy(copy(5, sourceId="", metadata={}), payload)
    assert not is_copy(copy(5, sourceId="", metadata={"set": "by hand"}), payload)


def test_a_members_copy_on_an_entra_cluster_has_its_own_service_source_id():
    payload = {"name": "team", "capabilities": CAPS, "members": ["u2", "u1"]}
    assert is_copy(copy(5, sourceId="service-5", members=["u1", "u2"], metadata={}), payload)


def test_every_racer_keeps_the_lowest_id_and_deletes_the_other_copies_never_a_group_that_differs():
    read = [copy(9), copy(3), copy(4, metadata={"owner": "hand"}), copy(7)]
    for created in (copy(9), copy(7)):
        kept, extra = settle(read, created, PAYLOAD)
        assert kept["id"] == 3 and extra == [7, 9]


def test_a_read_that_shows_no_copy_keeps_the_created_group_and_deletes_nothing():
    created = copy(9)
    assert settle([copy(4, metadata={})], created, PAYLOAD) == (created, [])


def test_whatever_order_the_racers_read_in_the_lowest_copy_survives_and_the_last_reader_leaves_one():
    """Three racers create 30, 10, 20 in some order; each reads after its own create (seeing what landed so far) and
    deletes the non-lowest copies it sees. In every order, exactly copy 10 is left."""
    for order in itertools.permutations([30, 10, 20]):
        live: set = set()
        for group_id in order:  # each create lands, then its racer reads and deletes
            live.add(group_id)
            _kept, extra = settle([copy(i) for i in sorted(live)], copy(group_id), PAYLOAD)
            live -= set(extra)
        assert live == {10}, order


class FakeClient:
    """groups/delete as CDF answers it: 400 with ``missing`` (nothing deleted) when any id is gone."""

    def __init__(self, live):
        self.live = set(live)
        self.calls = []

    def delete_items(self, path, body):
        self.calls.append(list(body["items"]))
        missing = [group_id for group_id in body["items"] if group_id not in self.live]
        if missing:
            raise ApiError("Groups not found", status=400, missing=[{"id": group_id} for group_id in missing])
        self.live -= set(body["items"])
        return {}


def test_a_delete_that_finds_groups_already_gone_counts_them_as_done_and_deletes_the_rest():
    client = FakeClient([1, 3])
    assert delete_groups(client, [1, 2, 3]) == [2]
    assert client.calls == [[1, 2, 3], [1, 3]] and client.live == set()


class Refusing(FakeClient):
    def delete_items(self, path, body):
        raise ApiError("Forbidden", status=403)


class MissingOthers(FakeClient):
    def delete_items(self, path, body):
        raise ApiError("Groups not found", status=400, missing=[{"id": 99}])


def test_a_delete_of_groups_all_gone_is_done_and_another_error_is_not_hidden():
    assert delete_groups(FakeClient([]), [4, 5]) == [4, 5]
    with pytest.raises(ApiError):
        delete_groups(Refusing([1]), [1])
    with pytest.raises(ApiError):  # a "missing" that names none of the ids sent is not ours to explain
        delete_groups(MissingOthers([1]), [1])


def test_the_race_note_says_to_run_again_only_when_some_groups_match():
    hint = race_note([3])
    assert "another run" in hint and "run the task again" in hint
    assert race_note([]) == ""
