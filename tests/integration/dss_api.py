"""Direct calls to the emulator's DSS API as the seeded admin: how a person changes things in the DSS UI.

The ``dss`` fixture (tests/integration/conftest.py) gives a ``DssApi`` bound to the reset emulator.
"""

from __future__ import annotations

import httpx

ADMIN_KEY = "dss-admin-key"
USER_KEY = "dss-user-key"


class DssApi:
    def __init__(self, emulator, key: str = ADMIN_KEY) -> None:
        self.emulator = emulator
        self.http = httpx.Client(base_url=f"{emulator.url}/public/api/", auth=(key, ""), timeout=10)

    def user(self, login: str):
        response = self.http.get(f"admin/users/{login}")
        return None if response.status_code == 404 else response.raise_for_status().json()

    def logins(self) -> list:
        return [user["login"] for user in self.http.get("admin/users/").raise_for_status().json()]

    def group(self, name: str):
        response = self.http.get(f"admin/groups/{name}")
        return None if response.status_code == 404 else response.raise_for_status().json()

    def put_user(self, login: str, definition: dict) -> None:
        self.http.put(f"admin/users/{login}", json=definition).raise_for_status()

    def put_group(self, name: str, definition: dict) -> None:
        self.http.put(f"admin/groups/{name}", json=definition).raise_for_status()

    def edit_user(self, login: str, **fields) -> dict:
        definition = self.user(login)
        definition.update(fields)
        self.put_user(login, definition)
        return self.user(login)

    def edit_group(self, name: str, **fields) -> dict:
        definition = self.group(name)
        definition.update(fields)
        self.put_group(name, definition)
        return self.group(name)

    def create_user(self, login: str, password: str = "initial-pw", **fields) -> dict:
        body = {"login": login, "password": password, "displayName": login, "sourceType": "LOCAL",
                "groups": [], "userProfile": "READER", "email": None}
        body.update(fields)
        self.http.post("admin/users/", json=body).raise_for_status()
        return self.user(login)

    def create_group(self, name: str, **fields) -> dict:
        self.http.post("admin/groups/", json={"name": name, "description": None, "sourceType": "LOCAL"}).raise_for_status()
        return self.edit_group(name, **fields) if fields else self.group(name)

    def password_is(self, login: str, password: str) -> bool:
        response = self.emulator.http.post("/_emulator/dss/check-password", json={"login": login, "password": password})
        return response.raise_for_status().json()["valid"]

    def set_profiles(self, profiles: list) -> None:
        self.emulator.http.put("/_emulator/dss/licensing", json={"userProfiles": profiles}).raise_for_status()


def dss_writes(emulator) -> list:
    """(method, path under the DSS base path) of every logged write."""
    return [(entry["method"], entry["path"].split("/api", 1)[-1]) for entry in emulator.writes()]


def failures(run) -> dict:
    """Task name -> failure message, for the tasks of a run that failed (with ignore_errors or not)."""
    return {task["task"]: task["result"].get("msg", "") for task in run.tasks if task["status"] == "failed"}
