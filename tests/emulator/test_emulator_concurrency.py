"""The emulator under concurrent requests: writes change the state as if sent one by one (web.endpoint takes the
app's write lock), so racing clients meet what a real API's transactions give them: one create of a unique name
wins, one delete of an id wins and the others are told it is missing, every create gets its own id."""

from __future__ import annotations

import asyncio

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from emulator.process import EmulatorProcess
from emulator.server.store import Store
from emulator.server.web import endpoint, ok

CONCURRENT = 30


def test_a_write_that_awaits_between_its_check_and_its_change_still_runs_alone():
    """A handler that reads, awaits, then writes: under the write lock no two interleave (without it, most of
    these increments would be lost)."""

    async def increment(request: Request) -> Response:
        state = request.app.state.store.state
        seen = state["counter"]
        await asyncio.sleep(0.001)
        state["counter"] = seen + 1
        return ok({"counter": state["counter"]})

    app = Starlette(routes=[Route("/inc", endpoint(increment, write=True), methods=["POST"])])
    app.state.store = Store()
    app.state.store.state = {"counter": 0}
    app.state.write_lock = asyncio.Lock()

    async def main() -> list:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://emulator") as client:
            return await asyncio.gather(*(client.post("/inc") for _request in range(CONCURRENT)))

    answers = asyncio.run(main())
    assert app.state.store.state["counter"] == CONCURRENT
    assert sorted(answer.json()["counter"] for answer in answers) == list(range(1, CONCURRENT + 1))


def _race(emulator: EmulatorProcess, method: str, path: str, bodies: list) -> list:
    """Send every body at once (each in flight together: the emulator holds each 200 ms before it runs)."""
    emulator.inject(method=method, path=path, delayMs=200, times=-1)
    headers = {"Authorization": "Bearer %s" % emulator.admin_token()}

    async def main() -> list:
        async with httpx.AsyncClient(base_url=emulator.url, headers=headers, timeout=30) as client:
            return await asyncio.gather(*(client.request(method, path, json=body) for body in bodies))

    try:
        return asyncio.run(main())
    finally:
        emulator.clear_faults()


def test_racing_creates_of_one_category_name_make_one_and_the_others_get_409(clean_emulator):
    path = "/api/v1/projects/demo/securitycategories"
    answers = _race(clean_emulator, "POST", path, [{"items": [{"name": "race"}]}] * CONCURRENT)
    assert sorted(answer.status_code for answer in answers) == [201] + [409] * (CONCURRENT - 1)
    categories = clean_emulator.state()["projects"]["demo"]["securityCategories"]
    assert [category["name"] for category in categories.values()].count("race") == 1


def test_racing_group_creates_each_get_their_own_id_and_all_are_kept(clean_emulator):
    path = "/api/v1/projects/demo/groups"
    body = {"items": [{"name": "race", "capabilities": [{"groupsAcl": {"actions": ["LIST"], "scope": {"all": {}}}}]}]}
    answers = _race(clean_emulator, "POST", path, [body] * CONCURRENT)
    assert [answer.status_code for answer in answers] == [201] * CONCURRENT
    ids = [answer.json()["items"][0]["id"] for answer in answers]
    assert len(set(ids)) == CONCURRENT
    stored = [g for g in clean_emulator.state()["projects"]["demo"]["groups"].values() if g["name"] == "race"]
    assert sorted(g["id"] for g in stored) == sorted(ids)


def test_racing_deletes_of_one_group_delete_it_once_and_the_others_are_told_it_is_missing(clean_emulator):
    path = "/api/v1/projects/demo/groups"
    headers = {"Authorization": "Bearer %s" % clean_emulator.admin_token()}
    created = httpx.post(
        clean_emulator.url + path, headers=headers, json={"items": [{"name": "doomed", "capabilities": []}]}
    ).raise_for_status().json()["items"][0]
    answers = _race(clean_emulator, "POST", path + "/delete", [{"items": [created["id"]]}] * CONCURRENT)
    assert sorted(answer.status_code for answer in answers) == [200] + [400] * (CONCURRENT - 1)
    for answer in answers:
        if answer.status_code == 400:
            assert answer.json()["error"]["missing"] == [{"id": created["id"]}]
    assert clean_emulator.state()["projects"]["demo"]["groups"][str(created["id"])]["isDeleted"] is True
