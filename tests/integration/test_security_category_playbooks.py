"""dataops.iam.security_category and security_category_info, driven by real ansible-playbook runs."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.both_paths


def category_task(name="legal-confidential", **options):
    return {"name": "category", "dataops.iam.security_category": {"name": name, **options}}


def info_task(**options):
    return {"name": "info", "dataops.iam.security_category_info": options}


def categories(cdf):
    """Every category, straight from the API (all pages)."""
    found, cursor = [], None
    while True:
        params = {"limit": 1000, **({"cursor": cursor} if cursor else {})}
        body = cdf.http.get("/securitycategories", params=params).raise_for_status().json()
        found += body["items"]
        cursor = body.get("nextCursor")
        if not cursor:
            return found


def create_categories(cdf, names):
    for start in range(0, len(names), 1000):
        items = [{"name": name} for name in names[start : start + 1000]]
        cdf.http.post("/securitycategories", json={"items": items}).raise_for_status()


def test_create_rerun_check_mode_and_diff(run, cdf, clean_emulator):
    clean_emulator.clear_log()
    checked = run([category_task()], check=True, diff=True).ok().result("category")
    assert checked["changed"] is True
    assert checked["security_category"] == {"name": "legal-confidential"}
    assert checked["diff"] == {"before": {}, "after": {"name": "legal-confidential"}}
    assert clean_emulator.writes() == []
    assert categories(cdf) == []

    created = run([category_task()], diff=True).ok().result("category")
    assert created["changed"] is True
    [stored] = categories(cdf)
    assert created["security_category"] == stored
    assert created["diff"] == {"before": {}, "after": {"name": "legal-confidential"}}

    clean_emulator.clear_log()
    again = run([category_task()]).ok()
    assert again.result("category")["changed"] is False
    assert again.result("category")["security_category"]["id"] == stored["id"]
    assert again.recap["changed"] == 0
    assert clean_emulator.writes() == []


def test_absent_deletes_check_mode_writes_nothing_and_rerun_is_unchanged(run, cdf, clean_emulator):
    create_categories(cdf, ["legal-confidential", "hr-restricted"])
    clean_emulator.clear_log()
    checked = run([category_task(state="absent")], check=True, diff=True).ok().result("category")
    assert checked["changed"] is True
    assert checked["diff"] == {"before": {"name": "legal-confidential"}, "after": {}}
    assert clean_emulator.writes() == []

    deleted = run([category_task(state="absent")]).ok().result("category")
    assert deleted["changed"] is True and deleted["security_category"] is None
    assert [category["name"] for category in categories(cdf)] == ["hr-restricted"]
    assert run([category_task(state="absent")]).ok().result("category")["changed"] is False


def test_more_categories_than_one_page_holds(run, cdf, clean_emulator):
    names = ["bulk-%04d" % index for index in range(999)]
    create_categories(cdf, names)
    clean_emulator.clear_log()
    paged = {"page_size": 100}
    tasks = [
        info_task(**paged),
        category_task(names[-1], **paged),
        category_task("one-more", **paged),
        info_task(name=names[-1], **paged),
        info_task(),
    ]
    result = run(tasks).ok()
    listed = result.tasks[0]["result"]["security_categories"]
    assert [category["name"] for category in listed] == sorted(names)
    lists = [entry for entry in clean_emulator.requests() if entry["path"].endswith("/securitycategories") and entry["method"] == "GET"]
    first_task = [entry["query"] for entry in lists[:10]]
    assert all(query["limit"] == "100" for query in first_task)
    assert [("cursor" in query) for query in first_task] == [False] + [True] * 9, "ten pages of 100, nine by cursor"
    assert result.tasks[1]["result"]["changed"] is False, "the name on the last page was found"
    assert result.tasks[2]["result"]["changed"] is True
    assert [category["name"] for category in result.tasks[3]["result"]["security_categories"]] == [names[-1]]
    assert len(result.tasks[4]["result"]["security_categories"]) == 1000, "the default page size reads all 1000 too"
    assert len(categories(cdf)) == 1000


def test_page_size_out_of_range_fails_before_any_call(run, clean_emulator):
    outcome = run([info_task(page_size=1001)])
    assert outcome.rc != 0
    assert "page_size must be between 1 and 1000, got 1001" in outcome.result("info")["msg"]
    assert [entry for entry in clean_emulator.requests() if "securitycategories" in entry["path"]] == []


def test_info_by_name_and_unknown_name(run, cdf):
    create_categories(cdf, ["b-cat", "a-cat"])
    result = run([info_task(), {"name": "unknown", "dataops.iam.security_category_info": {"name": "nope"}}]).ok()
    assert [category["name"] for category in result.result("info")["security_categories"]] == ["a-cat", "b-cat"]
    assert result.result("unknown")["security_categories"] == []
    assert result.result("info")["changed"] is False


def test_empty_name_fails_before_any_call(run, clean_emulator):
    clean_emulator.clear_log()
    outcome = run([category_task(" ")])
    assert outcome.rc != 0
    assert "name must not be empty" in outcome.result("category")["msg"]
    assert clean_emulator.requests() == []


def test_a_caller_without_rights_gets_a_clear_403(run, clean_emulator):
    outcome = run([category_task()], client=("reader", "reader-secret"))
    assert outcome.rc != 0
    message = outcome.result("category")["msg"]
    assert "403" in message and "legal-confidential" in message and "securityCategoriesAcl" in message
    assert "Traceback" not in outcome.stdout + outcome.stderr


def test_a_create_whose_answer_is_lost_is_found_again_not_repeated(run, cdf, clean_emulator):
    path = f"/api/v1/projects/{clean_emulator.project}/securitycategories"
    clean_emulator.inject(method="POST", path=path, status=503, after=True, times=1)
    result = run([category_task()]).ok().result("category")
    assert result["changed"] is True and result["security_category"]["name"] == "legal-confidential"
    assert [category["name"] for category in categories(cdf)] == ["legal-confidential"]
    creates = [entry for entry in clean_emulator.writes() if entry["path"] == path]
    assert [entry["status"] for entry in creates] == [503], "re-read instead of sending the create again"
