"""No module ends with a traceback for an exception of its own code. The last-resort handler
(module_support.run_guarded / run_main) turns it into a failure with the error's type and message and what the
module was working on; the traceback goes to ``exception`` (-vvv), never into ``msg``; no_log values stay masked."""

from __future__ import annotations

import json

import pytest
from ansible.module_utils.testing import patch_module_args

from ansible_collections.dataops.iam.plugins.module_utils.module_support import run_guarded, unexpected_failure_message
from ansible_collections.dataops.iam.plugins.modules import capabilities_check, group_info
from ansible_collections.dataops.iam.plugins.plugin_utils.in_worker import ModuleExit, WorkerModule

SECRET = "s3cret-value"


def worker_module(**params) -> WorkerModule:
    return WorkerModule("dataops.iam.group", {"name": "admins", **params}, {SECRET}, check_mode=False, diff=False)


def explode() -> None:
    raise KeyError("capabilities of %s" % SECRET)


def test_an_unexpected_error_in_the_worker_becomes_a_failure_without_traceback():
    with pytest.raises(ModuleExit) as ended:
        run_guarded(worker_module(), explode)
    result = ended.value.result
    assert result["failed"] is True
    assert result["msg"].startswith("group failed unexpectedly: KeyError: ")
    assert "(while working on name='admins')" in result["msg"]
    assert "Traceback" not in result["msg"] and "exception" not in result
    assert SECRET not in json.dumps(result), "no_log values stay masked"


def test_the_module_s_own_exits_pass_through():
    module = worker_module()
    with pytest.raises(ModuleExit) as ended:
        run_guarded(module, lambda: module.exit_json(changed=False))
    assert ended.value.result.get("failed") is None and ended.value.result["changed"] is False
    assert isinstance(ended.value, SystemExit), "like AnsibleModule's exits, never taken for an error"


def test_the_message_without_a_subject():
    message = unexpected_failure_message(None, ValueError("bad\n  value"))
    assert message.startswith("the module failed unexpectedly: ValueError: bad value.")


def run_main_of(module, args: dict, capsys) -> dict:
    with patch_module_args(args):
        with pytest.raises(SystemExit):
            module.main()
    return json.loads(capsys.readouterr().out)


CONNECTION = {"base_url": "https://api.test", "project": "p", "token": SECRET}


def test_group_info_main_turns_an_unexpected_error_into_fail_json(monkeypatch, capsys):
    def broken(client, name=None):
        raise AttributeError("'NoneType' object has no attribute 'get'")

    monkeypatch.setattr(group_info, "list_groups", broken)
    result = run_main_of(group_info, {**CONNECTION, "name": "admins"}, capsys)
    assert result["failed"] is True
    assert result["msg"].startswith("group_info failed unexpectedly: AttributeError: 'NoneType' object has no attribute")
    assert "(while working on name='admins')" in result["msg"] and "Traceback" not in result["msg"]
    assert SECRET not in json.dumps(result)


def test_capabilities_check_main_turns_an_unexpected_error_into_fail_json(monkeypatch, capsys):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(capabilities_check, "capability_gap", broken)
    monkeypatch.setattr(capabilities_check, "group_capabilities", lambda client, name: ([], {"name": name, "id": 1}))
    args = {**CONNECTION, "group": "team", "capabilities": [{"groupsAcl": {"actions": ["LIST"], "scope": {"all": {}}}}]}
    result = run_main_of(capabilities_check, args, capsys)
    assert result["msg"].startswith("capabilities_check failed unexpectedly: RuntimeError: boom")
    assert "(while working on group='team')" in result["msg"]


MODULES = sorted(path.stem for path in __import__("pathlib").Path(group_info.__file__).parent.glob("*.py") if path.stem != "__init__")


@pytest.mark.parametrize("name", MODULES)
def test_every_module_s_main_has_the_last_resort_handler(name, monkeypatch, capsys):
    """An error raised once the module object exists ends in a JSON failure, never a traceback."""
    import importlib

    from ansible.module_utils.basic import AnsibleModule

    module = importlib.import_module("ansible_collections.dataops.iam.plugins.modules.%s" % name)

    class BreaksAfterStart(AnsibleModule):
        def __init__(self, **_kwargs):
            super().__init__(argument_spec={}, supports_check_mode=True)
            raise RuntimeError("forced")

    monkeypatch.setattr(module, "AnsibleModule", BreaksAfterStart)
    with patch_module_args({}), pytest.raises(SystemExit):
        module.main()
    result = json.loads(capsys.readouterr().out)
    assert result["failed"] is True and "%s failed unexpectedly: RuntimeError: forced" % name in result["msg"]
    assert "Traceback" not in result["msg"]


def test_an_error_before_the_module_object_exists_propagates(monkeypatch):
    """AnsibleModule itself failing (or ansible-test's import check stopping it) is not the module's work on a task."""
    from ansible.module_utils.basic import AnsibleModule

    class Refused(AnsibleModule):
        def __init__(self, **_kwargs):
            raise LookupError("stopped on purpose")

    monkeypatch.setattr(group_info, "AnsibleModule", Refused)
    with pytest.raises(LookupError):
        group_info.main()


def test_group_main_names_the_group(monkeypatch, capsys):
    from ansible_collections.dataops.iam.plugins.module_utils.cdf import group_state
    from ansible_collections.dataops.iam.plugins.modules import group

    def broken(self):
        raise TypeError("unhashable type: 'dict'")

    monkeypatch.setattr(group_state.GroupTask, "run", broken)
    result = run_main_of(group, {**CONNECTION, "name": "admins", "capabilities": []}, capsys)
    assert result["msg"].startswith("group failed unexpectedly: TypeError: unhashable type: 'dict' (while working on")
    assert "name='admins'" in result["msg"] and SECRET not in json.dumps(result)
