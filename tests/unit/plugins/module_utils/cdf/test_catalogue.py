# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ACL catalogue (plugins/module_utils/cdf/catalogue.py) against the installed cognite-sdk's Capability
classes, so that drift is caught: after an SDK upgrade, regenerate with tests/unit/tools/gen_catalogue.py."""

from __future__ import annotations

import dataclasses
import importlib.util
import inspect
from pathlib import Path

from cognite.client.data_classes import capabilities as sdk
from cognite.client.utils._text import to_camel_case

from ansible_collections.dataops.iam.plugins.module_utils.cdf import capability_validation, catalogue

TOOL = Path(__file__).parents[3] / "tools" / "gen_catalogue.py"


def load_generator():
    spec = importlib.util.spec_from_file_location("gen_catalogue", TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def sdk_acl_classes() -> dict[str, type]:
    classes = [*sdk.Capability.__subclasses__(), *sdk.LegacyCapability.__subclasses__()]
    return {cls._capability_name: cls for cls in classes if cls not in (sdk.UnknownAcl, sdk.LegacyCapability)}


def test_catalogue_equals_the_sdk_introspected() -> None:
    source, acls = load_generator().from_sdk()
    assert catalogue.ACLS == acls
    assert catalogue.SOURCE == source


def test_catalogue_file_is_what_the_generator_writes() -> None:
    generator = load_generator()
    text = generator.render(*generator.from_sdk())
    assert Path(catalogue.__file__).read_text(encoding="utf-8") == text


def test_acl_names_actions_and_scopes_match_the_sdk_classes() -> None:
    classes = sdk_acl_classes()
    assert sorted(catalogue.ACLS) == sorted(classes) == sdk.ALL_CAPABILITIES
    for name, cls in classes.items():
        entry = catalogue.ACLS[name]
        assert entry["actions"] == [action.value for action in cls.Action], name
        scopes = [scope._scope_name for scope in vars(cls.Scope).values() if inspect.isclass(scope)]
        assert list(entry["scopes"]) == scopes, name
        assert entry.get("legacy", False) == issubclass(cls, sdk.LegacyCapability), name


def test_three_legacy_acls() -> None:
    legacy = sorted(name for name, entry in catalogue.ACLS.items() if entry.get("legacy"))
    assert legacy == ["genericsAcl", "modelHostingAcl", "templateGroupsAcl"]


def test_every_sdk_scope_is_understood_by_the_helper() -> None:
    sdk_scopes = {cls._scope_name: cls for cls in sdk.Capability.Scope.__subclasses__() if cls is not sdk.UnknownScope}
    assert set(capability_validation.SCOPE_FIELDS) == set(sdk_scopes)
    for name, (field, kind) in capability_validation.SCOPE_FIELDS.items():
        fields = [to_camel_case(f.name) for f in dataclasses.fields(sdk_scopes[name])]
        assert fields == ([] if kind == "empty" else [field]), name
    legacy = {name for name, cls in sdk_scopes.items() if cls.__name__.startswith("Legacy")}
    assert capability_validation.LEGACY_SCOPES == legacy == {"spaceScope", "dataModelScope"}


def test_generator_refuses_what_the_helper_would_misread() -> None:
    generator = load_generator()
    bad = {"newAcl": {"actions": ["READ"], "scopes": {"newScope": {"ids": "list[float]"}}}}
    try:
        generator.check(bad)
    except SystemExit as exc:
        assert "field type 'list[float]' is new" in str(exc)
    else:
        raise AssertionError("check() accepted an unknown field type")
