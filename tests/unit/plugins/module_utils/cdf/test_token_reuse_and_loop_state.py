"""What lets a task cost little: tokens shared by the items of a loop, a rejected given token renewed once, the TLS
context made once per process, and the group list read once per loop (GroupTask.matching)."""

from __future__ import annotations

import json
import ssl
import sys

import httpx
import pytest

from ansible_collections.dataops.iam.plugins.module_utils import http
from ansible_collections.dataops.iam.plugins.module_utils.cdf.client import CdfClient
from ansible_collections.dataops.iam.plugins.module_utils.cdf.group_state import LOOP_LIST_MAX_AGE
from ansible_collections.dataops.iam.plugins.module_utils.http import ApiError
from ansible_collections.dataops.iam.plugins.modules.group import MODULE, run
from ansible_collections.dataops.iam.tests.unit.fake_module import make_module

#: What token inspection gives the caller: the group rights a change needs (write_rights.py).
GROUP_RIGHTS = {"groupsAcl": {"actions": ["LIST", "CREATE", "DELETE"], "scope": {"all": {}}}, "projectScope": {"allProjects": {}}}


class Idp:
    """A token endpoint and a CDF API behind one mock transport; ``valid`` are the tokens the API accepts."""

    def __init__(self):
        self.issued = 0
        self.valid = set()
        self.calls = []
        self.groups = [{"id": 1, "name": "a", "capabilities": []}, {"id": 2, "name": "b", "capabilities": []}]

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.calls.append((request.method, request.url.path))
        if request.url.path == "/token":
            self.issued += 1
            token = "tok-%d" % self.issued
            self.valid.add(token)
            return httpx.Response(200, json={"access_token": token, "expires_in": 3600})
        if request.headers["authorization"].split()[-1] not in self.valid:
            return httpx.Response(401, json={"error": {"code": 401, "message": "Unauthorized"}})
        if request.url.path == "/api/v1/token/inspect":  # the guards (the caller is in no group here, with group rights)
            return httpx.Response(200, json={"subject": "cid", "projects": [{"projectUrlName": "p", "groups": []}], "capabilities": [GROUP_RIGHTS]})
        if request.method == "GET" and request.url.path.endswith("/groups"):
            return httpx.Response(200, json={"items": list(self.groups)})
        if request.method == "POST" and request.url.path.endswith("/groups"):
            created = dict(request_json(request)["items"][0], id=100 + len(self.groups))
            self.groups.append(created)
            return httpx.Response(201, json={"items": [created]})
        if request.url.path.endswith("/groups/delete"):
            gone = set(request_json(request)["items"])
            self.groups = [group for group in self.groups if group["id"] not in gone]
            return httpx.Response(200, json={})
        raise AssertionError(request.url)


def request_json(request: httpx.Request) -> dict:
    return json.loads(request.content)


def client(idp: Idp, **options) -> CdfClient:
    settings = dict(
        base_url="https://api.test", project="p", token_url="https://idp.test/token", client_id="cid", client_secret="s3cret"
    )
    settings.update(options)
    made = CdfClient(**settings)
    made._http = httpx.Client(base_url="https://api.test", transport=httpx.MockTransport(idp))
    return made


def test_clients_sharing_a_token_cache_fetch_one_token():
    idp, cache = Idp(), {}
    for _item in range(3):
        client(idp, token_cache=cache).get("groups")
    assert idp.issued == 1
    client(idp, token_cache=cache, client_secret="other").get("groups")
    assert idp.issued == 2, "another secret is another client: its own token"


def test_an_empty_token_is_no_token_and_the_cache_is_used():
    """CDF_TOKEN="" (an AWX credential whose token field is empty) must not bypass the shared token cache."""
    idp, cache = Idp(), {}
    for _item in range(3):
        client(idp, token_cache=cache, token="").get("groups")
    assert idp.issued == 1


def test_without_a_cache_each_client_fetches_its_own_token():
    idp = Idp()
    for _item in range(2):
        client(idp).get("groups")
    assert idp.issued == 2


def test_a_rejected_given_token_is_replaced_once_with_the_client_credentials():
    idp = Idp()
    given = client(idp, token="expired")
    assert [group["id"] for group in given.get("groups")["items"]] == [1, 2]
    assert idp.calls == [("GET", "/api/v1/projects/p/groups"), ("POST", "/token"), ("GET", "/api/v1/projects/p/groups")]


def test_a_rejected_token_without_credentials_or_freshly_fetched_is_an_error():
    idp = Idp()
    with pytest.raises(ApiError) as caught:
        client(idp, token="expired", client_secret=None).get("groups")
    assert caught.value.status == 401
    fetched = client(idp)
    fetched.access_token()
    idp.valid.clear()  # revoked
    with pytest.raises(ApiError):
        fetched.get("groups")
    assert idp.issued == 1, "a token this client just fetched is not fetched again"


def test_access_token_returns_the_token_and_its_expiry():
    token, expires_at = client(Idp()).access_token()
    assert token == "tok-1" and expires_at > 3000
    assert client(Idp(), token="given").access_token() == ("given", float("inf"))


def test_the_tls_context_is_made_once_per_bundle(monkeypatch):
    monkeypatch.setattr(http, "_TLS_CONTEXTS", {})
    first = http.tls_context()
    assert http.tls_context() is first
    monkeypatch.setenv("SSL_CERT_FILE", __file__)
    with pytest.raises(ssl.SSLError):
        http.tls_context()  # another bundle (here not a PEM file): a context of its own, not the cached one
    with pytest.raises(ApiError, match="Cannot load the CA bundle"):
        http.tls_context("/nonexistent/ca.pem")


def test_httpx_is_imported_without_its_command_line_client():
    assert "httpx" in sys.modules
    assert sys.modules.get("httpx._main", "absent") is not None, "the blocking entry is removed after the import"


def module(cache=None, **args):
    """The group task's module object: a loop's item in the worker (``cache``: the loop's worker_cache), or, without
    one, a module process (no worker_cache at all)."""
    made = make_module(MODULE, dict({"name": "b", "capabilities": [], "client_id": "cid"}, **args), worker_cache=cache)
    if cache is None:
        made.worker_cache = None
    return made


def test_a_task_of_its_own_lists_the_groups_each_run():
    idp = Idp()
    for _run in range(2):
        run(module(), client(idp))
    for _task in range(2):
        run(module({}), client(idp))  # a task of its own in the worker: a worker (and a cache) of its own
    assert idp.calls.count(("GET", "/api/v1/projects/p/groups")) == 4


def test_the_items_of_a_loop_list_the_groups_once_and_see_their_own_writes():
    idp, cache = Idp(), {}

    def item(**params):
        return run(module(cache, **params), client(idp, token_cache=cache.setdefault("tokens", {})))

    assert [item(name=name)["changed"] for name in ("b", "c", "c")] == [False, True, False], "the 3rd sees the 2nd's group"
    assert item(name="c", state="absent")["changed"] is True
    assert item(name="c", state="absent")["changed"] is False, "and the delete"
    # the loop's one list, and the read after its create that looks for copies made by racing runs (duplicates.py)
    assert idp.calls.count(("GET", "/api/v1/projects/p/groups")) == 2
    assert idp.issued == 1


def test_the_loop_list_is_read_again_when_old_or_after_a_failed_write(monkeypatch):
    idp, cache = Idp(), {}
    run(module(cache, name="b"), client(idp))
    entry = next(iter(cache["group_lists"].values()))
    entry["read_at"] -= LOOP_LIST_MAX_AGE + 1
    run(module(cache, name="b"), client(idp))
    assert idp.calls.count(("GET", "/api/v1/projects/p/groups")) == 2
    idp.valid.clear()
    with pytest.raises(ApiError):
        run(module(cache, name="new"), client(idp, client_secret=None, token="bad"))
    assert cache["group_lists"] == {}, "a failed write forgets the list"
