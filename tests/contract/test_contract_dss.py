"""Documented DSS answers (users, groups, errors, licensing, auth info), read by DssClient and the dss_user /
dss_group task logic."""

from __future__ import annotations

import json

import httpx
import pytest

from ansible_collections.dataops.iam.plugins.module_utils.dss import groups, users
from ansible_collections.dataops.iam.plugins.module_utils.dss.client import DssApiError
from ansible_collections.dataops.iam.plugins.modules import dss_group, dss_user
from ansible_collections.dataops.iam.tests.unit.fake_module import make_module
from documented import answering, body, dss_client


def user_task(client, **params) -> users.UserTask:
    defaults = dict(login="jdoe", allow_self_lockout=True)
    return users.UserTask(make_module(dss_user.MODULE, dict(defaults, **params), diff=True), client)


def group_task(client, **params) -> groups.GroupTask:
    defaults = dict(name="data_team", allow_self_lockout=True)
    return groups.GroupTask(make_module(dss_group.MODULE, dict(defaults, **params), diff=True), client)


def test_documented_user_list_is_read():
    handler, seen = answering({"GET admin/users/": "dss/users_list"})
    listed = dss_client(handler).list_users()
    assert [(u["login"], u["groups"], u["activeWebSocketSesssions"]) for u in listed] == [
        ("admin", ["administrators", "data_scientists"], 0)]
    assert seen[0].headers["authorization"] == "Basic S0VZMTIzOg=="


def test_user_definition_is_read_viewed_and_cleaned():
    handler, _seen = answering({"GET admin/users/jdoe": "dss/users_get"})
    user = dss_client(handler).get_user("jdoe")
    view = users.user_view(user)
    assert view["login"] == "jdoe" and view["groups"] == ["data_team", "readers"] and view["enabled"] is True
    assert view["user_profile"] == "DATA_SCIENTIST" and view["email"] == "jane.doe@example.com"
    user["credentials"] = {"db": {"type": "BASIC", "user": "u", "password": "p"}}
    assert users.public_user(user)["credentials"] == {"db": {"type": "BASIC", "user": "u"}}


def test_not_found_body_means_no_such_user_or_group():
    handler, _seen = answering({"GET admin/users/nobody": "dss/error_not_found", "GET admin/groups/nobody": "dss/error_not_found"})
    client = dss_client(handler)
    assert client.get_user("nobody") is None and client.get_group("nobody") is None


@pytest.mark.parametrize("name, status, error_type, hint", [
    ("dss/error_not_authenticated", 401, "com.dataiku.dip.exceptions.NotAuthenticatedException", "api_key"),
    ("dss/error_unauthorized", 403, "com.dataiku.dip.exceptions.UnauthorizedException", "admin key"),
])
def test_auth_errors_carry_status_error_type_and_a_hint(name, status, error_type, hint):
    handler, _seen = answering({"GET admin/users/": name})
    with pytest.raises(DssApiError) as caught:
        dss_client(handler).list_users()
    error = caught.value
    assert (error.status, error.code, error.message) == (status, error_type, body(name)["detailedMessage"])
    assert not error.not_found and hint in error.hint()


def test_licensing_status_and_auth_info():
    handler, seen = answering({"GET admin/licensing/status": "dss/licensing_status", "GET auth/info": "dss/auth_info"})
    client = dss_client(handler)
    assert client.licensed_profiles() == ["DATA_SCIENTIST", "DATA_ANALYST", "READER"]
    assert client.auth_identifier() == "admin"
    assert seen[1].url.params["withSecrets"] == "false"


def test_group_list_and_definition_are_read_and_unknown_flags_shown():
    handler, _seen = answering({"GET admin/groups/": "dss/groups_list", "GET admin/groups/data_team": "dss/groups_get"})
    client = dss_client(handler)
    assert [(g["name"], g["admin"]) for g in client.list_groups()] == [("administrators", True), ("readers", False)]
    view = groups.group_view(client.get_group("data_team"))
    assert view["ldap_group_names"] == ["cn=data,ou=groups"] and view["sso_group_names"] == []
    assert view["permissions"] == {"mayCreateProjects": True, "mayUseSomeFutureFeature": True,
                                   "mayWriteSafeCode": True, "mayWriteUnsafeCode": False}


def test_user_task_same_groups_in_another_order_is_no_change():
    handler, seen = answering({"GET admin/users/jdoe": "dss/users_get"})
    result = user_task(dss_client(handler), groups=["readers", "data_team"]).run()
    assert result["changed"] is False
    assert [r.method for r in seen] == ["GET"]


def test_user_task_update_puts_the_whole_read_definition_back():
    puts = []

    def put(request: httpx.Request) -> httpx.Response:
        puts.append(json.loads(request.content))
        return httpx.Response(200, json={"msg": "Edited user jdoe"})

    handler, _seen = answering({"GET admin/users/jdoe": "dss/users_get", "PUT admin/users/jdoe": put,
                                "GET admin/groups/": "dss/groups_list"})
    result = user_task(dss_client(handler), groups=["readers"], display_name="Jane D.").run()
    assert result["changed"] is True
    expected = dict(body("dss/users_get"), groups=["readers"], displayName="Jane D.")
    assert puts == [expected], "every field read (preferences, trialStatus, ...) goes back unchanged"


def test_group_task_update_keeps_flags_it_does_not_know():
    puts = []

    def put(request: httpx.Request) -> httpx.Response:
        puts.append(json.loads(request.content))
        return httpx.Response(200, json={"msg": "Edited group data_team"})

    handler, _seen = answering({"GET admin/groups/data_team": "dss/groups_get", "PUT admin/groups/data_team": put})
    result = group_task(dss_client(handler), description="Data science").run()
    assert result["changed"] is True
    assert puts == [dict(body("dss/groups_get"), description="Data science")]
    assert puts[0]["mayUseSomeFutureFeature"] is True


def test_group_task_same_ldap_names_is_no_change():
    handler, seen = answering({"GET admin/groups/data_team": "dss/groups_get"})
    assert group_task(dss_client(handler), ldap_group_names=["cn=data,ou=groups"]).run()["changed"] is False
    assert len(seen) == 1
