"""plugin_utils.in_worker.no_log_values: the values a run in the worker masks are those ansible-core's own validator
collects (``ModuleArgumentSpecValidator.validate(...)._no_log_values``, private, read here to hold the public code
to it), for the argument spec of every module of the collection, with every secret set, nested ones too."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest
from ansible.module_utils.common.arg_spec import ModuleArgumentSpecValidator

from ansible_collections.dataops.iam.plugins.plugin_utils import in_worker
from ansible_collections.dataops.iam.plugins.plugin_utils.in_worker import no_log_values

MODULES = sorted(
    path.stem for path in (Path(in_worker.__file__).parents[1] / "modules").glob("*.py") if path.stem != "__init__"
)
PLAIN = {"str": "x", "list": [], "dict": {}, "bool": False, "int": 1, "float": 1.0, "path": "/tmp"}


def secret_value(name: str, option: dict) -> Any:
    kind = option.get("type", "str")
    if kind == "list":
        return ["%s-SECRET-1" % name, "%s-SECRET-2" % name]
    if kind == "dict":
        return {"inner": "%s-SECRET" % name}
    return "%s-SECRET" % name


def with_secrets(spec: dict, prefix: str = "") -> dict:
    """Params setting every ``no_log`` option of ``spec`` (sub-options too) and each required option."""
    params: dict = {}
    for name, option in spec.items():
        if option.get("no_log"):
            params[name] = secret_value(prefix + name, option)
        elif option.get("options"):
            inner = with_secrets(option["options"], prefix + name + ".")
            params[name] = [inner, dict(inner)] if option.get("type") == "list" else inner
        elif option.get("required"):
            params[name] = PLAIN[option.get("type", "str")]
    return params


def expected_secrets(params: Any) -> set:
    """Every string value set by ``with_secrets`` that is a secret."""
    found: set = set()
    if isinstance(params, dict):
        for value in params.values():
            found |= expected_secrets(value)
    elif isinstance(params, list):
        for value in params:
            found |= expected_secrets(value)
    elif isinstance(params, str) and "SECRET" in params:
        found.add(params)
    return found


def validator_for(kwargs: dict) -> ModuleArgumentSpecValidator:
    return ModuleArgumentSpecValidator(
        kwargs["argument_spec"], kwargs.get("mutually_exclusive"), kwargs.get("required_together"),
        kwargs.get("required_one_of"), kwargs.get("required_if"), kwargs.get("required_by"),
    )


def compare(spec: dict, kwargs: dict, params: dict) -> set:
    validation = validator_for(kwargs).validate(params)
    assert not validation.errors.errors, validation.errors.msg
    ours = no_log_values(spec, validation.validated_parameters)
    assert ours == validation._no_log_values
    return ours


def module_kwargs(name: str) -> dict:
    definition = importlib.import_module("ansible_collections.dataops.iam.plugins.modules." + name).MODULE
    return definition.module_kwargs()


@pytest.mark.parametrize("name", MODULES)
def test_the_values_masked_in_the_worker_are_ansible_core_s(name, monkeypatch):
    kwargs = module_kwargs(name)
    spec = kwargs["argument_spec"]
    for option in spec.values():  # only the task's params: no secret from the test's environment
        for variable in (option.get("fallback") or (None, []))[1]:
            monkeypatch.delenv(variable, raising=False)
    params = with_secrets(spec)
    secrets = expected_secrets(params)
    assert secrets, "every module has a secret option (its connection's credentials)"
    assert compare(spec, kwargs, params) == secrets


@pytest.mark.parametrize("name", MODULES)
def test_secrets_from_the_environment_are_masked_too(name, monkeypatch):
    """An option's environment fallback (CDF_TOKEN, DKU_API_KEY, ...) fills it: its value is masked as if given."""
    kwargs = module_kwargs(name)
    spec = kwargs["argument_spec"]
    set_from_environment = set()
    for option_name, option in spec.items():
        variables = (option.get("fallback") or (None, []))[1]
        for variable in variables:
            monkeypatch.delenv(variable, raising=False)
        if option.get("no_log") and variables:
            value = "%s-env-secret" % option_name
            monkeypatch.setenv(variables[0], value)
            set_from_environment.add(value)
    assert set_from_environment, "the connection's credentials have environment variables"
    params = {name_: value for name_, value in with_secrets(spec).items() if not spec[name_].get("fallback")}
    found = compare(spec, kwargs, params)
    assert set_from_environment <= found


def test_nested_lists_dicts_and_empty_values():
    """The shapes no module has yet: a list of sub-option dicts, a secret list and dict, unset and empty secrets."""
    spec = {
        "keys": dict(type="list", elements="dict", options={"name": dict(type="str"),
                                                            "value": dict(type="str", no_log=True)}),
        "tokens": dict(type="list", elements="str", no_log=True),
        "headers": dict(type="dict", no_log=True),
        "password": dict(type="str", no_log=True),
        "unset": dict(type="str", no_log=True),
        "empty": dict(type="str", no_log=True),
        "number": dict(type="int", no_log=True),
        "label": dict(type="str"),
    }
    params = {
        "keys": [{"name": "a", "value": "key-one"}, {"name": "b", "value": "key-two"}, {"name": "c"}],
        "tokens": ["tok-1", "tok-2"], "headers": {"authorization": "Bearer abc"}, "password": "pw-1",
        "empty": "", "number": 4711, "label": "visible",
    }
    found = compare(spec, {"argument_spec": spec}, params)
    assert {"key-one", "key-two", "tok-1", "tok-2", "pw-1", "4711"} <= found
    assert "visible" not in found and "a" not in found and "" not in found
