"""Replacing a group is safe. The new group exists before the old one is deleted;
if the delete fails, the task fails naming both ids, and the next run converges. Faults come from the emulator's
fault injection, one at a time, on the create or the delete of a replacement."""

from __future__ import annotations

GROUPS = "/api/v1/projects/demo/groups"
OLD = [{"groupsAcl": {"actions": ["LIST"], "scope": {"all": {}}}}]
NEW = [{"groupsAcl": {"actions": ["LIST", "READ"], "scope": {"all": {}}}}]


def task(name="team", **options):
    options.setdefault("capabilities", NEW)
    return {"name": "replace", "dataops.iam.group": {"name": name, **options}}


def writes(emulator):
    return [(entry["path"].rsplit("/", 1)[-1], entry["status"]) for entry in emulator.writes()]


def test_a_failed_delete_names_both_ids_and_leaves_both_groups_then_the_next_run_converges(run, cdf, clean_emulator):
    old = cdf.create_group(name="team", sourceId="idp-team", capabilities=OLD)
    clean_emulator.clear_log()
    clean_emulator.inject(method="POST", path=GROUPS + "/delete", status=403, message="Injected: delete refused")
    failed = run([task()])
    assert failed.rc != 0
    result = failed.result("replace")
    new_id = result["group"]["id"]
    assert result["changed"] is True, "the failure still says what it changed"
    message = result["msg"]
    assert f"the new group {new_id} was created but the old group {old['id']} could not be deleted" in message, message
    assert "on_duplicates: consolidate" in message and "Injected: delete refused" in message
    assert writes(clean_emulator) == [("groups", 201), ("delete", 403)], "the new group exists before the delete"
    assert sorted(group["id"] for group in cdf.groups("team")) == sorted([old["id"], new_id])

    refused = run([task()])
    assert refused.rc != 0 and "2 groups are named 'team'" in refused.result("replace")["msg"]
    converged = run([task(on_duplicates="consolidate")]).ok().result("replace")
    assert converged["changed"] is True and converged["group"]["id"] == new_id and converged["deleted_ids"] == [old["id"]]
    assert [group["id"] for group in cdf.groups("team")] == [new_id]
    assert run([task()]).ok().recap["changed"] == 0


def test_a_delete_that_took_effect_behind_an_error_is_not_a_failure(run, cdf, clean_emulator):
    old = cdf.create_group(name="team", sourceId="idp-team", capabilities=OLD)
    clean_emulator.clear_log()
    clean_emulator.inject(method="POST", path=GROUPS + "/delete", status=503, after=True)
    result = run([task()]).ok().result("replace")
    assert result["changed"] is True and result["deleted_ids"] == [old["id"]]
    assert [group["id"] for group in cdf.groups("team")] == [result["group"]["id"]]
    assert writes(clean_emulator) == [("groups", 201), ("delete", 503), ("delete", 400)], "resent; 'missing' then means done"


def test_a_create_that_took_effect_behind_a_reset_is_found_not_made_twice(run, cdf, clean_emulator):
    old = cdf.create_group(name="team", sourceId="idp-team", capabilities=OLD)
    clean_emulator.clear_log()
    clean_emulator.inject(method="POST", path=GROUPS, reset=True, after=True)
    result = run([task()]).ok().result("replace")
    [stored] = cdf.groups("team")
    assert result["group"]["id"] == stored["id"] != old["id"]
    assert writes(clean_emulator) == [("groups", 0), ("delete", 200)], "re-read, found, not created again"
    assert run([task()]).ok().recap["changed"] == 0


def test_a_create_that_did_not_happen_is_sent_again_after_the_re_read(run, cdf, clean_emulator):
    cdf.create_group(name="team", sourceId="idp-team", capabilities=OLD)
    clean_emulator.clear_log()
    clean_emulator.inject(method="POST", path=GROUPS, status=502)
    result = run([task()]).ok().result("replace")
    assert [group["id"] for group in cdf.groups("team")] == [result["group"]["id"]]
    log = [(entry["method"], entry["path"].rsplit("/", 1)[-1], entry["status"]) for entry in clean_emulator.requests()]
    first_failure = log.index(("POST", "groups", 502))
    assert log[first_failure + 1] == ("GET", "groups", 200), "the re-read comes before the second create"
    assert writes(clean_emulator) == [("groups", 502), ("groups", 201), ("delete", 200)]
