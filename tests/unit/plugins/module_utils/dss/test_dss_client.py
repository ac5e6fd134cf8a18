"""DssClient on the wire (httpx MockTransport): auth header, escaping, query flags, errors, not-found, retries; and
DssModule, the runtime of the DSS modules: the client it makes (read-only in check mode, its warnings) and how a
failure reads."""

from __future__ import annotations

import base64
import json

import httpx
import pytest

from ansible_collections.dataops.iam.plugins.module_utils.dss.client import (
    DssApiError,
    DssClient,
    name_problem,
    normalise_url,
    parse_dss_error,
)
from ansible_collections.dataops.iam.plugins.module_utils.dss.connection import connection_problems, is_loopback
from ansible_collections.dataops.iam.plugins.module_utils.http import CheckModeWrite, RetryPolicy
from ansible_collections.dataops.iam.plugins.modules import dss_group, dss_user, dss_user_info
from ansible_collections.dataops.iam.tests.unit.fake_module import execute, make_module

NOT_FOUND = "com.dataiku.dip.server.controllers.NotFoundException"


def client_with(handler, url="https://dss.test:11200", read_only=False):
    """A DssClient whose transport is ``handler``; the real client's auth and base URL are kept."""
    client = DssClient(url=url, api_key="KEY123", retry=RetryPolicy(sleep=lambda _: None), read_only=read_only)
    real = client._http
    client._http = httpx.Client(base_url=real.base_url, auth=real.auth, headers=real.headers, transport=httpx.MockTransport(handler))
    real.close()
    return client


def error(status, error_type, message):
    return httpx.Response(status, json={"errorType": error_type, "message": message, "detailedMessage": message})


def test_the_key_is_the_basic_username_with_an_empty_password_and_paths_are_escaped():
    seen = []

    def handler(request):
        seen.append(request)
        return httpx.Response(200, json={"login": "a@b.c"})

    client = client_with(handler, url="https://dss.test:11200/dip/publicapi/")
    client.get_user("a@b.c")
    client.delete_user("x.y", allow_self_deletion=False)
    request = seen[0]
    assert request.headers["authorization"] == "Basic " + base64.b64encode(b"KEY123:").decode()
    assert request.url.raw_path == b"/public/api/admin/users/a%40b.c"
    assert seen[1].method == "DELETE" and seen[1].url.params["allowSelfDeletion"] == "false"


def test_not_found_is_none_and_other_errors_raise_with_the_error_type():
    def handler(request):
        if request.url.path.endswith("/ghost"):
            return error(404, NOT_FOUND, "User ghost does not exist")
        if request.url.path.endswith("/odd"):
            return error(500, "x.y." + "NotFoundException", "legacy status")
        return error(403, "com.dataiku.dip.exceptions.UnauthorizedException", "Action forbidden")

    client = client_with(handler)
    assert client.get_user("ghost") is None
    assert client.get_group("odd") is None
    with pytest.raises(DssApiError) as caught:
        client.list_users()
    assert caught.value.status == 403 and caught.value.code.endswith("UnauthorizedException")
    text = str(caught.value)
    assert "Action forbidden" in text and "not a DSS administrator" in text and "KEY123" not in text
    assert "/public/api/admin/users/" in text


def test_error_bodies_that_are_not_dss_shaped():
    response = httpx.Response(502, text="<html>bad gateway</html>", request=httpx.Request("GET", "https://x"))
    parsed = parse_dss_error(response)
    assert parsed.status == 502 and parsed.code is None and "bad gateway" in parsed.message
    only_message = httpx.Response(400, json={"message": "nope"}, request=httpx.Request("GET", "https://x"))
    assert parse_dss_error(only_message).message == "nope"


def test_reads_are_retried_and_a_lost_put_is_resent():
    calls = {"GET": 0, "PUT": 0}

    def handler(request):
        calls[request.method] += 1
        if calls[request.method] == 1:
            return httpx.Response(503, headers={"retry-after": "0"})
        return httpx.Response(200, json={"msg": "ok"} if request.method == "PUT" else [])

    client = client_with(handler)
    assert client.list_groups() == []
    client.update_group("g", {"name": "g"})
    assert calls == {"GET": 2, "PUT": 2}


def test_a_create_whose_response_was_lost_is_found_by_the_recheck():
    calls = []

    def handler(request):
        calls.append((request.method, request.url.path))
        if request.method == "POST":
            return httpx.Response(502)
        return httpx.Response(200, json={"name": "g", "description": None})

    client_with(handler).create_group({"name": "g", "description": None, "sourceType": "LOCAL"})
    assert calls == [("POST", "/public/api/admin/groups/"), ("GET", "/public/api/admin/groups/g")]


def test_licensed_profiles_and_auth_identifier():
    def handler(request):
        if request.url.path.endswith("/licensing/status"):
            return httpx.Response(200, json={"base": {"userProfiles": ["READER", "DESIGNER"]}})
        assert request.url.params["withSecrets"] == "false"
        return httpx.Response(200, json={"authIdentifier": "admin", "groups": []})

    client = client_with(handler)
    assert client.licensed_profiles() == ["READER", "DESIGNER"]
    assert client.auth_identifier() == "admin"
    assert client_with(lambda request: error(404, NOT_FOUND, "no such endpoint")).licensed_profiles() == []


def test_bodies_are_json():
    bodies = []

    def handler(request):
        bodies.append(json.loads(request.content))
        return httpx.Response(201, json={"msg": "Created user u"})

    client_with(handler).create_user({"login": "u", "password": "p"})
    assert bodies == [{"login": "u", "password": "p"}]


@pytest.mark.parametrize(
    "value, expected",
    [
        ("jane.doe@example.com", None),
        ("data_team-2", None),
        ("", "must not be empty"),
        ("a/b", "contains '/'"),
        ("a b?", "contains ' ?'"),
        ("é", "contains 'é'"),
        (".", "is not a name"),
        ("..", "is not a name"),
        ("...", "is not a name"),
        ("a..b", None),
    ],
)
def test_name_rules(value, expected):
    problem = name_problem("login", value)
    assert (problem is None) if expected is None else (expected in problem)


def test_url_normalisation():
    assert normalise_url("https://dss:11200/") == "https://dss:11200"
    assert normalise_url("https://dss/public/api/") == "https://dss"
    assert normalise_url(" http://127.0.0.1:4010/dip/publicapi ") == "http://127.0.0.1:4010"


def test_connection_problems_name_the_option_and_its_environment_variable():
    problems = connection_problems({"dss_url": None, "api_key": "", "timeout": 30.0})
    assert problems == [
        "set dss_url (or DKU_DSS_URL) to the DSS URL, e.g. https://dss.example.com:11200",
        "set api_key (or DKU_API_KEY) to a DSS API key with admin rights",
    ]
    assert "must be an http:// or https:// URL" in connection_problems({"dss_url": "dss:11200", "api_key": "k"})[0]
    assert connection_problems({"dss_url": "https://dss", "api_key": "k", "timeout": 0}) == ["timeout must be greater than 0 (seconds), got 0"]
    assert connection_problems({"dss_url": "http://127.0.0.1:4010", "api_key": "k", "timeout": 5.0}) == []
    assert is_loopback("localhost") and is_loopback("127.0.0.1") and is_loopback("::1")
    assert not is_loopback("dss.example.com") and not is_loopback("10.0.0.1")


def test_a_404_without_a_dss_error_body_is_not_missing_but_a_wrong_url():
    """A web server or proxy at dss_url: "not found" there must not pass for "no such user" (an off-boarding
    that deletes nothing, an audit that invents drift)."""
    page = httpx.Response(404, text="<html>Not Found</html>", headers={"content-type": "text/html"})
    client = client_with(lambda request: page)
    for read in (lambda: client.get_user("jdoe"), lambda: client.get_group("team"), client.licensed_profiles):
        with pytest.raises(DssApiError) as caught:
            read()
        assert caught.value.status == 404 and "check dss_url" in str(caught.value)
    listing = client_with(lambda request: httpx.Response(200, json={"users": []}))
    with pytest.raises(DssApiError, match="expected a JSON array, got dict.*check dss_url"):
        listing.list_users()


def test_transport_errors_are_dss_errors_with_the_dss_hint():
    def refuse(request):
        raise httpx.ConnectError("connection refused", request=request)

    with pytest.raises(DssApiError) as caught:
        client_with(refuse).get_user("jdoe")
    text = str(caught.value)
    assert "dss_url" in text and "DKU_DSS_URL" in text and "base_url" not in text and "token_url" not in text


def test_a_definite_refusal_is_no_write_a_lost_answer_or_a_success_is():
    refused = client_with(lambda request: error(400, "x.InvalidArgumentException", "Invalid user profile"))
    with pytest.raises(DssApiError):
        refused.update_user("u", {"login": "u"})
    assert refused.may_have_written is False
    lost = client_with(lambda request: httpx.Response(503, headers={"retry-after": "0"}))
    lost.retry = RetryPolicy(max_attempts=2, sleep=lambda _: None)
    with pytest.raises(DssApiError):
        lost.update_user("u", {"login": "u"})
    assert lost.may_have_written is True
    done = client_with(lambda request: httpx.Response(200, json={}))
    assert done.get_user("u") == {} and done.may_have_written is False
    done.update_user("u", {"login": "u"})
    assert done.may_have_written is True


def test_a_password_in_the_url_never_reaches_a_message():
    client = client_with(lambda request: error(403, "x.UnauthorizedException", "no"), url="https://proxyuser:Url-S3cret@dss.test")
    with pytest.raises(DssApiError) as caught:
        client.list_users()
    assert "Url-S3cret" not in str(caught.value) and "dss.test" in str(caught.value)


# -- DssModule: the client of a task and the one failure -------------------------------------------------------
CONNECTION = dict(dss_url="https://dss.test:11200", api_key="KEY123")


def test_a_check_mode_client_refuses_every_write_before_it_is_sent():
    seen = []

    def handler(request):
        seen.append(request.method)
        return httpx.Response(200, json={})

    client = client_with(handler, read_only=True)
    for write in (lambda: client.create_group({"name": "g"}), lambda: client.update_user("u", {}), lambda: client.delete_group("g")):
        with pytest.raises(CheckModeWrite):
            write()
    assert client.get_group("g") == {} and seen == ["GET"] and client.may_have_written is False


def test_the_module_client_is_read_only_in_check_mode_and_warns_about_plain_http_and_unchecked_tls():
    module = make_module(dss_user.MODULE, dict(CONNECTION, login="jdoe"), check_mode=True)
    client = dss_user.MODULE.client(module)
    assert client.read_only is True and module._warnings == []
    client.close()
    module = make_module(dss_group.MODULE, dict(CONNECTION, name="g", dss_url="http://dss.test:11200"))
    client = dss_group.MODULE.client(module)
    assert client.read_only is False
    assert module._warnings == ["dss_url uses http://: the API key crosses the network unencrypted; use https://"]
    client.close()
    module = make_module(dss_user_info.MODULE, dict(CONNECTION, validate_certs=False))
    dss_user_info.MODULE.client(module).close()
    assert module._warnings == ["validate_certs is false: the TLS certificate of DSS is not checked"]
    local = make_module(dss_user_info.MODULE, dict(CONNECTION, dss_url="http://127.0.0.1:4010"))
    dss_user_info.MODULE.client(local).close()
    assert local._warnings == []


def test_input_and_connection_problems_fail_before_any_client(monkeypatch):
    monkeypatch.delenv("DKU_DSS_URL", raising=False)
    monkeypatch.delenv("DKU_API_KEY", raising=False)
    monkeypatch.setattr(dss_user.MODULE, "client", lambda module: pytest.fail("no client for a task that cannot run"))
    result = execute(dss_user.MODULE, make_module(dss_user.MODULE, dict(CONNECTION, login="a/b")))
    assert result["failed"] is True and result["msg"].startswith("Invalid DSS user 'a/b': login 'a/b' contains '/'")
    result = execute(dss_user.MODULE, make_module(dss_user.MODULE, dict(login="jdoe")))
    assert result["msg"] == (
        "DSS connection options are incomplete: set dss_url (or DKU_DSS_URL) to the DSS URL, e.g. https://dss.example.com:11200; "
        "set api_key (or DKU_API_KEY) to a DSS API key with admin rights"
    )
    result = execute(dss_user_info.MODULE, make_module(dss_user_info.MODULE, dict(CONNECTION, login="..")))
    assert result["msg"].startswith("Invalid dss_user_info options: login '..' is not a name")


def test_an_api_error_fails_once_with_what_the_task_was_doing_and_changed_from_the_writes(monkeypatch):
    forbidden = client_with(lambda request: error(403, "x.UnauthorizedException", "Action forbidden"))
    monkeypatch.setattr(dss_user_info.MODULE, "client", lambda module: forbidden)
    result = execute(dss_user_info.MODULE, make_module(dss_user_info.MODULE, dict(CONNECTION)))
    assert result["failed"] is True and result["changed"] is False and result["status"] == 403
    assert result["msg"].startswith("Reading DSS users failed: HTTP 403 GET https://dss.test:11200/public/api/admin/users/: Action forbidden")
    assert result["error_code"] == "x.UnauthorizedException" and "KEY123" not in repr(result)

    def lost_update(request):
        if request.method == "GET":
            return httpx.Response(200, json={"name": "g", "description": "old", "admin": False})
        return httpx.Response(503, headers={"retry-after": "0"})

    lost = client_with(lost_update)
    lost.retry = RetryPolicy(max_attempts=2, sleep=lambda _: None)
    monkeypatch.setattr(dss_group.MODULE, "client", lambda module: lost)
    result = execute(dss_group.MODULE, make_module(dss_group.MODULE, dict(CONNECTION, name="g", description="new")))
    assert result["failed"] is True and result["changed"] is True, "a PUT whose answer was lost may have written"
    assert result["msg"].startswith("Managing DSS group 'g' failed: HTTP 503 PUT https://dss.test:11200/public/api/admin/groups/g")


def test_a_refusal_of_the_task_is_one_failure_without_a_write(monkeypatch):
    seen = []

    def handler(request):
        seen.append((request.method, request.url.path))
        if request.url.path.endswith("/auth/info"):
            return httpx.Response(200, json={"authIdentifier": "admin"})
        return httpx.Response(200, json={"login": "admin", "enabled": True, "sourceType": "LOCAL", "groups": ["administrators"]})

    monkeypatch.setattr(dss_user.MODULE, "client", lambda module: client_with(handler))
    result = execute(dss_user.MODULE, make_module(dss_user.MODULE, dict(CONNECTION, login="admin", state="absent")))
    assert result["failed"] is True and result["changed"] is False
    assert result["msg"].startswith("Refusing to delete user 'admin': it is the user of the API key this task uses.")
    assert [method for method, _path in seen] == ["GET", "GET"]


def test_check_mode_through_the_module_plans_and_sends_no_write(monkeypatch):
    seen = []

    def handler(request):
        seen.append(request.method)
        if request.url.path.endswith("/admin/groups/"):
            return httpx.Response(200, json=[{"name": "administrators", "admin": True, "mayCreateProjects": True}])
        return error(404, NOT_FOUND, "Group g does not exist")

    monkeypatch.setattr(dss_group.MODULE, "client", lambda module: client_with(handler, read_only=module.check_mode))
    module = make_module(dss_group.MODULE, dict(CONNECTION, name="g", may_create_projects=True), check_mode=True, diff=True)
    result = execute(dss_group.MODULE, module)
    assert result.get("failed") is not True, result
    assert result["changed"] is True and result["group"]["mayCreateProjects"] is True
    assert result["diff"] == {"before": {}, "after": {"name": "g", "source_type": "LOCAL", "description": "",
                                                      "permissions": {"mayCreateProjects": True}}}
    assert set(seen) == {"GET"}
