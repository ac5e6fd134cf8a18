"""runtime.ModuleDefinition.execute, the one flow of every module: the library check, then input problems and
connection problems fail before any client is made, then the client (read-only in check mode), ``run``, one failure for a
TaskError / an ApiError / an unexpected exception (a clear one-line message, never a traceback), and the client
closed on every path. ``module_kwargs`` merges the service's options and rules with the module's."""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any, Optional

import pytest
from ansible.module_utils.testing import patch_module_args

from ansible_collections.dataops.iam.plugins.module_utils import runtime
from ansible_collections.dataops.iam.plugins.module_utils.http import ApiError, CheckModeWrite
from ansible_collections.dataops.iam.plugins.module_utils.module_support import (
    library_problem,
    unexpected_failure_message,
)
from ansible_collections.dataops.iam.plugins.module_utils.runtime import ModuleDefinition
from ansible_collections.dataops.iam.plugins.module_utils.tasks import TaskError
from ansible_collections.dataops.iam.plugins.plugin_utils.in_worker import ModuleExit
from ansible_collections.dataops.iam.tests.unit.fake_module import execute, make_module

SECRET = "s3cret-value"


class FakeClient:
    def __init__(self, read_only: bool) -> None:
        self.read_only = read_only
        self.may_have_written = False
        self.closed = False

    def write(self) -> None:
        if self.read_only:
            raise CheckModeWrite("POST", "https://api.test/things")
        self.may_have_written = True

    def close(self) -> None:
        self.closed = True


class Service(ModuleDefinition):
    """A service with two connection options (one a secret), a rule of its own, and a fake client."""

    connection_prefix = "Test connection options are incomplete: "

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.clients: list = []

    def connection_spec(self) -> dict:
        return {
            "endpoint": dict(type="str"),
            "other_endpoint": dict(type="str"),
            "secret": dict(type="str", no_log=True),
        }

    def connection_rules(self) -> dict:
        return {"mutually_exclusive": [("endpoint", "other_endpoint")]}

    def connection_problems(self, params: dict) -> list:
        return [] if params.get("endpoint") else ["set endpoint (TEST_ENDPOINT)"]

    def client(self, module: Any) -> FakeClient:
        client = FakeClient(read_only=module.check_mode)
        self.clients.append(client)
        return client


OPTIONS = {"name": dict(type="str", required=True), "size": dict(type="int", default=1)}
ARGS = {"endpoint": "https://api.test", "secret": SECRET, "name": "x"}


def definition(run: Any = None, **kwargs: Any) -> Service:
    kwargs.setdefault("doing", "Managing thing {name!r}")
    return Service(OPTIONS, run or (lambda module, client: {"changed": False}), **kwargs)


def outcome(service: Service, args: Optional[dict] = None, check_mode: bool = False) -> dict:
    module = make_module(service, dict(ARGS, **(args or {})), check_mode=check_mode, name="dataops.iam.thing")
    return execute(service, module)


# -- success --------------------------------------------------------------------------------------------------
def test_the_result_of_run_is_the_task_s_result_and_the_client_is_closed():
    seen = []

    def run(module, client):
        seen.append((module.params["name"], module.params["size"], client.read_only))
        module.warn("careful")
        return {"changed": True, "thing": {"name": module.params["name"]}}

    service = definition(run)
    result = outcome(service)
    assert result["changed"] is True and result["thing"] == {"name": "x"} and "failed" not in result
    assert result["warnings"] == ["careful"]
    assert seen == [("x", 1, False)]
    [client] = service.clients
    assert client.closed


def test_check_mode_makes_a_read_only_client():
    service = definition(lambda module, client: {"changed": False, "check_mode": module.check_mode})
    assert outcome(service, check_mode=True)["check_mode"] is True
    assert service.clients[0].read_only is True and service.clients[0].closed


# -- before any client ------------------------------------------------------------------------------------------
def never_run(module, client):
    raise AssertionError("run was called")


def test_the_task_s_own_problems_fail_first_naming_each_before_a_client_is_made():
    service = definition(never_run, problems=lambda params: ["name must not be empty", "size must be positive"],
                         invalid="Invalid thing {name!r}")
    result = outcome(service, {"endpoint": None})
    assert result["failed"] is True
    assert result["msg"] == "Invalid thing 'x': name must not be empty; size must be positive"
    assert service.clients == []


def test_the_prefix_of_the_own_problems_may_be_a_function_of_the_params():
    service = definition(never_run, problems=lambda params: ["bad"], invalid=lambda params: "Thing %s" % params["size"])
    assert outcome(service, {"size": 3})["msg"] == "Thing 3: bad"


def test_no_problems_means_no_failure():
    service = definition(problems=lambda params: [], invalid="Invalid thing {name!r}")
    assert outcome(service).get("failed") is None


def test_connection_problems_fail_before_a_client_is_made():
    service = definition(never_run)
    result = outcome(service, {"endpoint": None})
    assert result["failed"] is True and result["msg"] == "Test connection options are incomplete: set endpoint (TEST_ENDPOINT)"
    assert service.clients == []


def test_a_missing_library_fails_before_a_client_is_made(monkeypatch):
    asked = []

    def missing(pydantic=False):
        asked.append(pydantic)
        return "Failed to import the required Python library (pydantic)", "Traceback (most recent call last): ..."

    monkeypatch.setattr(runtime, "library_problem", missing)
    service = definition(never_run, pydantic=True)
    result = outcome(service)
    assert result["failed"] is True and result["msg"].startswith("Failed to import the required Python library (pydantic)")
    assert asked == [True] and service.clients == []
    outcome(definition(never_run))
    assert asked == [True, False], "only the modules that read through models.py ask for pydantic"


def test_a_missing_library_is_named_before_the_task_s_own_problems(monkeypatch):
    """As AnsibleModule-based modules do: the pip command first, whatever else is wrong with the task."""
    monkeypatch.setattr(runtime, "library_problem", lambda pydantic=False: ("Failed to import httpx", "Traceback"))
    service = definition(never_run, problems=lambda params: ["name must not be empty"])
    result = outcome(service, {"endpoint": None})
    assert result["msg"] == "Failed to import httpx" and service.clients == []


def test_the_libraries_are_there_in_the_test_environment():
    assert library_problem() is None and library_problem(pydantic=True) is None


# -- failures of run ------------------------------------------------------------------------------------------
def test_a_task_error_fails_with_its_message_and_fields():
    def run(module, client):
        raise TaskError("Group 'x' has 2 duplicates", ids=[1, 2])

    service = definition(run)
    result = outcome(service)
    assert result["failed"] is True and result["msg"] == "Group 'x' has 2 duplicates" and result["ids"] == [1, 2]
    assert result["changed"] is False
    assert service.clients[0].closed


def test_a_task_error_after_a_write_reports_changed_unless_it_says_otherwise():
    def run(module, client):
        client.write()
        raise TaskError("half done", changed=module.params["size"] == 1)

    assert outcome(definition(run))["changed"] is True

    def run_without_changed(module, client):
        client.write()
        raise TaskError("half done")

    assert outcome(definition(run_without_changed))["changed"] is True
    assert outcome(definition(run), {"size": 2})["changed"] is False, "the task's own changed wins"


def test_an_api_error_says_what_the_task_was_doing_with_the_error_s_fields():
    def run(module, client):
        error = ApiError("busy", status=503, code=503, method="POST", url="https://api.test/things",
                         request_id="req-1", missing=[{"id": 9}])
        error.partial = {"created_ids": [4]}
        raise error

    service = definition(run)
    result = outcome(service)
    assert result["failed"] is True
    assert result["msg"].startswith("Managing thing 'x' failed: HTTP 503 POST https://api.test/things: busy")
    assert "[request id req-1]" in result["msg"]
    assert (result["status"], result["error_code"], result["request_id"]) == (503, 503, "req-1")
    assert result["missing"] == [{"id": 9}] and result["duplicated"] == []
    assert result["created_ids"] == [4], "what the task had done is not hidden by the failure"
    assert result["changed"] is False
    assert service.clients[0].closed


def test_an_api_error_after_a_write_reports_changed_from_the_client_s_record():
    def run(module, client):
        client.write()
        raise ApiError("lost", status=None)

    assert outcome(definition(run))["changed"] is True


def test_what_the_task_was_doing_may_be_a_function_of_the_params():
    def run(module, client):
        raise ApiError("nope", status=404)

    service = definition(run, doing=lambda params: "Looking %s up" % params["name"].upper())
    assert outcome(service)["msg"].startswith("Looking X up failed: HTTP 404 nope")


def test_an_api_error_while_making_the_client_is_an_api_failure_too(monkeypatch):
    service = definition(never_run)

    def broken_client(module):
        raise ApiError("Cannot load the CA bundle ca_path='/nope': no such file", code="tls")

    monkeypatch.setattr(service, "client", broken_client)
    result = outcome(service)
    assert result["msg"] == "Managing thing 'x' failed: Cannot load the CA bundle ca_path='/nope': no such file"
    assert result["changed"] is False


def test_an_unexpected_exception_is_one_clear_line_without_traceback():
    def run(module, client):
        raise KeyError("capabilities of %s" % SECRET)

    service = definition(run)
    result = outcome(service)
    assert result["failed"] is True
    assert result["msg"].startswith("thing failed unexpectedly: KeyError: ")
    assert "(while working on name='x')" in result["msg"]
    assert result["msg"].endswith("This is a bug in dataops.iam; please report it with the output of -vvv")
    assert "\n" not in result["msg"] and "Traceback" not in result["msg"] and "exception" not in result
    assert SECRET not in json.dumps(result), "no_log values stay masked"
    assert service.clients[0].closed


def test_the_unexpected_failure_message_without_a_module_name_or_subject():
    message = unexpected_failure_message(None, ValueError("bad\n  value"))
    assert message.startswith("the module failed unexpectedly: ValueError: bad value.")


def test_a_write_in_check_mode_is_refused_by_the_client_and_reported_as_a_bug():
    def run(module, client):
        client.write()
        return {"changed": True}

    service = definition(run)
    result = outcome(service, check_mode=True)
    assert result["failed"] is True
    assert result["msg"].startswith("thing failed unexpectedly: CheckModeWrite: a write (POST https://api.test/things) "
                                    "was asked for in check mode and refused before it was sent")
    assert service.clients[0].may_have_written is False and service.clients[0].closed


@pytest.mark.parametrize("raised", [None, TaskError("t"), ApiError("a", status=500), RuntimeError("r"), SystemExit(0)])
def test_the_client_is_closed_on_every_path(raised):
    def run(module, client):
        if raised is not None:
            raise raised
        return {"changed": False}

    service = definition(run)
    module = make_module(service, ARGS)
    with pytest.raises(SystemExit):  # ModuleExit (exit_json / fail_json) or the SystemExit of run itself
        service.execute(module)
    assert [client.closed for client in service.clients] == [True]


def test_the_module_s_own_exits_pass_through():
    """exit_json/fail_json end the run with SystemExit, as AnsibleModule's do: never taken for an error."""
    def run(module, client):
        module.exit_json(changed=False, early=True)

    service = definition(run)
    with pytest.raises(ModuleExit) as ended:
        service.execute(make_module(service, ARGS))
    assert ended.value.result.get("failed") is None and ended.value.result["early"] is True
    assert service.clients[0].closed


# -- module_kwargs ----------------------------------------------------------------------------------------------
def test_module_kwargs_merge_the_service_s_options_and_rules_with_the_module_s():
    service = definition(mutually_exclusive=[("name", "size")], required_if=[("size", 2, ("name",))])
    kwargs = service.module_kwargs()
    assert list(kwargs["argument_spec"]) == ["endpoint", "other_endpoint", "secret", "name", "size"]
    assert kwargs["argument_spec"]["secret"]["no_log"] is True
    assert kwargs["mutually_exclusive"] == [("endpoint", "other_endpoint"), ("name", "size")]
    assert kwargs["required_if"] == [("size", 2, ("name",))]
    assert "required_one_of" not in kwargs and "required_together" not in kwargs
    assert kwargs["supports_check_mode"] is True
    assert definition().module_kwargs()["mutually_exclusive"] == [("endpoint", "other_endpoint")]
    assert definition(supports_check_mode=False).module_kwargs()["supports_check_mode"] is False


def test_the_service_s_rules_are_checked_with_the_task_s_arguments():
    service = definition()
    with pytest.raises(AssertionError, match="mutually exclusive: endpoint|other_endpoint"):
        make_module(service, dict(ARGS, other_endpoint="https://b.test"))


def test_a_module_option_of_the_same_name_wins_over_the_service_s():
    service = Service({"secret": dict(type="int")}, lambda module, client: {}, doing="x")
    assert service.argument_spec()["secret"] == {"type": "int"}


# -- the module process -----------------------------------------------------------------------------------------
def run_main(service: ModuleDefinition, args: dict, capsys: Any) -> dict:
    with patch_module_args(args), pytest.raises(SystemExit):
        service.main()
    return json.loads(capsys.readouterr().out)


def test_main_runs_the_same_flow_in_a_module_process(capsys):
    service = definition(lambda module, client: {"changed": True, "check_mode": module.check_mode})
    result = run_main(service, dict(ARGS, _ansible_check_mode=True), capsys)
    assert result["changed"] is True and result["check_mode"] is True and service.clients[0].read_only
    assert result["invocation"]["module_args"]["secret"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"


def test_main_turns_an_unexpected_exception_into_a_one_line_failure(capsys):
    """(The traceback goes to ``exception``, which ansible-core 2.19+ fills only when tracebacks are enabled.)"""
    def run(module, client):
        raise AttributeError("'NoneType' object has no attribute 'get' (%s)" % SECRET)

    result = run_main(definition(run), dict(ARGS, _ansible_module_name="dataops.iam.thing"), capsys)
    assert result["failed"] is True
    assert result["msg"].startswith("thing failed unexpectedly: AttributeError: 'NoneType' object has no attribute")
    assert "Traceback" not in result["msg"] and "\n" not in result["msg"]
    assert SECRET not in json.dumps(result)


MODULES = sorted(
    path.stem for path in (Path(runtime.__file__).parents[1] / "modules").glob("*.py") if path.stem != "__init__"
)


def minimal_args(spec: dict) -> dict:
    """A value for each required option (the rest left out)."""
    values = {"str": "x", "list": [], "dict": {}, "bool": False, "int": 1}
    return {name: values[option.get("type", "str")] for name, option in spec.items() if option.get("required")}


@pytest.mark.parametrize("name", MODULES)
def test_every_module_s_main_ends_an_unexpected_error_in_a_json_failure(name, monkeypatch, capsys):
    """Each module file is its MODULE: ``main()`` is the one flow, whose last resort is a failure, not a traceback."""
    module_file = importlib.import_module("ansible_collections.dataops.iam.plugins.modules.%s" % name)
    definition_ = module_file.MODULE
    assert isinstance(definition_, ModuleDefinition)
    clients = []

    def fake_client(module):
        clients.append(FakeClient(module.check_mode))
        return clients[-1]

    def forced(module, client):
        raise RuntimeError("forced")

    monkeypatch.setattr(definition_, "fail_on_problems", lambda module: None)
    monkeypatch.setattr(definition_, "client", fake_client)
    monkeypatch.setattr(definition_, "run", forced)
    args = dict(minimal_args(definition_.argument_spec()), _ansible_module_name="dataops.iam.%s" % name)
    with patch_module_args(args), pytest.raises(SystemExit):
        module_file.main()
    result = json.loads(capsys.readouterr().out)
    assert result["failed"] is True, result
    assert result["msg"].startswith("%s failed unexpectedly: RuntimeError: forced" % name)
    assert "Traceback" not in result["msg"]
    assert [client.closed for client in clients] == [True]
