"""The CDF modules that read: one read each, no change, not one write."""

from __future__ import annotations

import time

GROUPS_LIST = {"groupsAcl": {"actions": ["LIST"], "scope": {"all": {}}}}


def test_group_info(tasks):
    names = [group["name"] for group in tasks.read("group_info", {})["groups"]]
    assert {"admins", "readers"} <= set(names)
    [admins] = tasks.read("group_info", {"name": "admins"})["groups"]
    assert admins["sourceId"] == "cdf-admins"


def test_security_category_info(tasks):
    tasks.run("security_category", {"name": "legal"})
    assert [c["name"] for c in tasks.read("security_category_info", {})["security_categories"]] == ["legal"]


def test_session_info(tasks):
    made = tasks.run("session", {"token_exchange": True})["session"]
    sessions = tasks.read("session_info", {"ids": [made["id"], 1]})
    assert [s["id"] for s in sessions["sessions"]] == [made["id"]] and sessions["unknown_ids"] == [1]
    assert "nonce" not in str(sessions["sessions"])


def test_pg_user_info(tasks):
    assert tasks.read("pg_user_info", {})["pg_users"] == []


def test_user_profile_info(tasks):
    profiles = tasks.read("user_profile_info", {"search": "Alice"})["profiles"]
    assert profiles and profiles[0]["givenName"] == "Alice"
    assert tasks.read("user_profile_info", {"me": True})["profiles"]


def test_token_info(tasks):
    token = tasks.read("token_info", {})["token"]
    assert token["subject"] and token["projects"] and token["capabilities"]


def test_cdf_token(tasks):
    result = tasks.read("cdf_token", {})
    assert result["token"] and result["expires_in"] > 0 and result["expires_at"] > time.time()


def test_capabilities_check(tasks):
    result = tasks.read("capabilities_check", {"capabilities": [GROUPS_LIST]})
    assert result["complete"] is True and result["missing"] == []
    gap = tasks.read("capabilities_check", {"capabilities": [{"assetsAcl": {"actions": ["READ"], "scope": {"all": {}}}}]})
    assert gap["complete"] is False and gap["missing"]
