# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""``src`` of the whole-model modules (``access``, ``dss_access``): the model read from a YAML or JSON file by the
module itself, checked by the same argument specs as the options it stands for. Internal to the collection.

Why: a model of hundreds of objects given as task options goes through Ansible's YAML loader, templating and the
copy of the task to its worker and back, which cost several times the module's own work (benchmarks/README.md).
"""

from __future__ import annotations

from typing import Any, Callable

from ansible_collections.dataops.iam.plugins.module_utils.input_checks import strict_spec
from ansible_collections.dataops.iam.plugins.module_utils.tasks import TaskError


def read_yaml(path: str) -> Any:
    """The file's data (JSON is YAML too), read with PyYAML's C loader when there is one."""
    import yaml  # type: ignore[import-untyped]  # ansible-core's own dependency

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        with open(path, "rb") as stream:
            return yaml.load(stream, Loader=loader)  # noqa: S506 - a safe loader
    except OSError as exc:
        raise TaskError("Cannot read the model src %r: %s" % (path, exc.strerror or exc), changed=False) from None
    except yaml.YAMLError as exc:
        raise TaskError("The model src %r is not YAML or JSON: %s" % (path, exc), changed=False) from None


def model_params(params: dict, spec: dict, keys: tuple, problems: Callable[[dict], list]) -> dict:
    """``params`` with the options ``keys`` read from ``params["src"]`` (when set), validated by their ``spec`` and
    then by ``problems`` (the module's own checks), as they would be given as options. A TaskError, before any
    request, names every problem."""
    src = params.get("src")
    if not src:
        return params
    data = read_yaml(src)
    if not isinstance(data, dict):
        raise TaskError("The model src %r must hold a mapping with %s" % (src, " and/or ".join(keys)), changed=False)
    from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

    validated = ArgumentSpecValidator(strict_spec({key: spec[key] for key in keys})).validate(data)
    if validated.error_messages:
        raise TaskError("Invalid model in %r: %s" % (src, "; ".join(validated.error_messages)), changed=False)
    model = dict(params, **{key: validated.validated_parameters.get(key) for key in keys})
    found = problems(dict(model, src=None))
    if found:
        raise TaskError("Invalid model in %r: %s" % (src, "; ".join(found)), changed=False)
    return model
