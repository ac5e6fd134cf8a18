"""The DSS part of the emulator's state: persisted with --state (no secret in the file), reset, seeded profiles."""

from __future__ import annotations

import json

import dataikuapi

from emulator.process import EmulatorProcess


def test_dss_state_survives_a_restart_and_the_file_holds_no_secret(tmp_path):
    state_file = tmp_path / "state.json"
    with EmulatorProcess(state_file) as first:
        dss = dataikuapi.DSSClient(first.url, "dss-admin-key")
        dss.create_group("ml_team", "ML")
        definition = dss.get_group("ml_team").get_definition()
        definition["mayCreateProjects"] = True
        dss.get_group("ml_team").set_definition(definition)
        dss.create_user("jdoe", "Pa55-Persisted-1", groups=["ml_team"])
        settings = dss.get_user("jdoe").get_settings()
        settings.add_secret("token", "S3cret-Value-2")
        settings.save()
    text = state_file.read_text()
    for secret in ("Pa55-Persisted-1", "S3cret-Value-2", "dss-admin-key", "dss-user-key", "admin-password"):
        assert secret not in text, secret
    assert json.loads(text)["dss"]["users"]["jdoe"]["groups"] == ["ml_team"]

    with EmulatorProcess(state_file) as second:
        dss = dataikuapi.DSSClient(second.url, "dss-admin-key")
        assert dss.get_group("ml_team").get_definition()["mayCreateProjects"] is True
        assert dss.get_user("jdoe").get_settings().get_raw()["secrets"] == [{"name": "token", "secret": True}]
        check = second.http.post("/_emulator/dss/check-password", json={"login": "jdoe", "password": "Pa55-Persisted-1"})
        assert check.json() == {"valid": True}
        second.reset()
        assert [user["login"] for user in dss.list_users()] == ["admin", "analyst"]
    assert "jdoe" not in json.loads(state_file.read_text())["dss"]["users"]


def test_a_state_file_from_before_dss_gets_the_dss_seeds(tmp_path):
    state_file = tmp_path / "state.json"
    with EmulatorProcess(state_file):
        pass
    state = json.loads(state_file.read_text())
    del state["dss"]
    state_file.write_text(json.dumps(state))
    with EmulatorProcess(state_file) as emulator:
        assert [g["name"] for g in dataikuapi.DSSClient(emulator.url, "dss-admin-key").list_groups()] == [
            "administrators", "data_team", "readers",
        ]


def test_licensed_profiles_come_from_the_environment_at_seeding(tmp_path, monkeypatch):
    monkeypatch.setenv("EMULATOR_DSS_USER_PROFILES", "FULL_DESIGNER, AI_CONSUMER,")
    with EmulatorProcess() as emulator:
        status = dataikuapi.DSSClient(emulator.url, "dss-admin-key").get_licensing_status()
        assert status["base"]["userProfiles"] == ["FULL_DESIGNER", "AI_CONSUMER"]
        emulator.reset()
        status = dataikuapi.DSSClient(emulator.url, "dss-admin-key").get_licensing_status()
        assert status["base"]["userProfiles"] == ["FULL_DESIGNER", "AI_CONSUMER"]
