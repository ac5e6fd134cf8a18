"""The fault soak's reading of the emulator's state (benchmarks/soak_model.py) and its model, against a real emulator:
what the soak checks after each round must see the objects as they are, or its figures prove nothing."""

from __future__ import annotations

import sys

from ansible_collections.dataops.iam.plugins.module_utils.cdf.capabilities import flatten_capabilities
from runner import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
import soak_check  # noqa: E402
from soak_model import Model, group_fields, group_spec, live_objects  # noqa: E402

CAPS = [{"groupsAcl": {"actions": ["LIST"], "scope": {"all": {}}}}]


def test_the_state_reader_sees_each_kind_by_its_prefix_duplicates_included_and_deleted_groups_not(cdf, dss, clean_emulator):
    first = cdf.create_group(name="soak-g-001", capabilities=CAPS)
    second = cdf.create_group(name="soak-g-001", capabilities=CAPS)
    access = cdf.create_group(name="soak-a-002", capabilities=CAPS, metadata={"soak": "v0"})
    gone = cdf.create_group(name="soak-g-009", capabilities=CAPS)
    cdf.delete_groups(gone["id"])
    cdf.http.post("/securitycategories", json={"items": [{"name": "soak-ac-003"}, {"name": "soak-c-004"}]}).raise_for_status()
    dss.create_user("soak-u-005", displayName="Five", groups=["readers"], email="five@example.com")
    dss.create_user("soak-du-006", displayName="Six", groups=[])
    dss.create_group("soak-dg-007", description="Seven")
    dss.create_group("soak-dt-008", description="Eight")

    live = live_objects(clean_emulator.state(), clean_emulator.project, flatten_capabilities)

    assert sorted(object_id for _name, _fields, object_id in live["group"]) == sorted([first["id"], second["id"]])
    assert [(name, object_id) for name, _fields, object_id in live["access_group"]] == [("soak-a-002", access["id"])]
    assert live["access_group"][0][1] == {"capabilities": flatten_capabilities(CAPS), "metadata": {"soak": "v0"}, "sourceId": ""}
    assert [name for name, _f, _i in live["access_category"]] == ["soak-ac-003"]
    assert [name for name, _f, _i in live["category"]] == ["soak-c-004"]
    assert live["dss_user"] == [("soak-u-005", {"displayName": "Five", "email": "five@example.com", "groups": ["readers"]}, "soak-u-005")]
    assert [name for name, _f, _i in live["dss_access_user"]] == ["soak-du-006"]
    assert live["dss_group"] == [("soak-dg-007", {"description": "Seven"}, "soak-dg-007")]
    assert [name for name, _f, _i in live["dss_access_group"]] == ["soak-dt-008"]
    assert live["pg_user"] == []
    assert soak_check.duplicates(live) == [("group", "soak-g-001", 2)]
    assert ("soak-g-009", gone["id"]) not in [(name, object_id) for name, _f, object_id in live["group"]], "a deleted group is gone"


def test_a_group_made_from_the_soaks_spec_reads_back_equal_to_the_spec(cdf, clean_emulator):
    spec = group_spec("soak-g-004", 2)
    cdf.create_group(name=spec["name"], sourceId=spec["source_id"], metadata=spec["metadata"], capabilities=spec["capabilities"])
    live = live_objects(clean_emulator.state(), clean_emulator.project, flatten_capabilities)
    wanted = {"group": {spec["name"]: group_fields(spec, flatten_capabilities)}}
    assert soak_check.lost(wanted, live) == []
    other = {"group": {spec["name"]: group_fields(group_spec("soak-g-004", 3), flatten_capabilities)}}
    assert soak_check.lost(other, live) == [("group", "soak-g-004", "differs: capabilities, metadata")]


def test_each_round_of_the_model_deletes_changes_and_adds_and_its_playbook_items_say_so():
    model = Model(seed=1)
    model.step()
    first = {kind: dict(names.present) for kind, names in model.kinds.items()}
    assert all(not names.absent and not names.changed for names in model.kinds.values())
    for _round in range(5):
        model.step()
        for kind, names in model.kinds.items():
            assert names.absent and not set(names.absent) & set(names.present), kind
            assert names.changed <= set(names.present)
            assert all(names.present[name] > 0 for name in names.changed)
    items = model.items()
    absent = {item["name"] for item in items["soak_groups"] if item.get("state") == "absent"}
    assert absent == set(model.kinds["group"].absent)
    assert model.wanted(flatten_capabilities)["group"].keys() == model.kinds["group"].present.keys()
    assert first != {kind: dict(names.present) for kind, names in model.kinds.items()}
    assert items["soak_pg_state"] == "absent" and model.wanted(flatten_capabilities)["pg_user"] == {}, "round 6: deleted"
    model.step()
    assert model.items()["soak_pg_state"] == "present" and model.wanted(flatten_capabilities)["pg_user"] == {"reader": {}}
