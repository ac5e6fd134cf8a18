"""The dataops.iam.toolkit lookup on toolkit files written in tmp_path: one object or a list per file, a folder, globs,
the search path of relative terms, placeholders with and without ``toolkit_vars``, and each error (an
AnsibleLookupError with a message that says what to do, never another exception)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import yaml
from ansible.errors import AnsibleLookupError
from ansible.parsing.dataloader import DataLoader
from ansible.plugins.loader import lookup_loader

from ansible_collections.dataops.iam.plugins.lookup import toolkit

ASSETS_READ = {"assetsAcl": {"actions": ["READ"], "scope": {"all": {}}}}
RAW_TABLES = {"rawAcl": {"actions": ["READ"], "scope": {"tableScope": {"dbsToTables": {"landing": ["t1", "t2"]}}}}}
DATASETS = {"timeSeriesAcl": {"actions": ["READ"], "scope": {"datasetScope": {"ids": ["ds_sensors"]}}}}
CATEGORY_NAMES = {"securityCategoriesAcl": {"actions": ["MEMBEROF"], "scope": {"idscope": {"ids": ["legal"]}}}}


@pytest.fixture(scope="module")
def plugin():
    """The lookup as ansible-core loads it (its options from DOCUMENTATION): through the collection loader when
    one is installed (ansible-test units), else from the plugin's folder."""
    found = lookup_loader.get("dataops.iam.toolkit", loader=DataLoader())
    if found is None:
        lookup_loader.add_directory(str(Path(toolkit.__file__).parent))
        found = lookup_loader.get("toolkit", loader=DataLoader())
    assert found is not None
    return found


@pytest.fixture
def lookup(plugin, tmp_path):
    """lookup(*terms, **options) -> the plugin's result for a play whose search path is tmp_path."""

    def _lookup(*terms, search_path=None, **options):
        return plugin.run(list(terms), {"ansible_search_path": [str(p) for p in search_path or [tmp_path]]}, **options)

    return _lookup


def write(path: Path, content) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = content if isinstance(content, str) else yaml.safe_dump(content, sort_keys=False)
    path.write_text(textwrap.dedent(text) if isinstance(content, str) else text, encoding="utf-8")
    return path


def error(lookup, *terms, **options) -> str:
    with pytest.raises(AnsibleLookupError) as caught:
        lookup(*terms, **options)
    message = str(caught.value)
    assert message.startswith("dataops.iam.toolkit: "), message
    return message


# -- what it reads -----------------------------------------------------------------------------------------------


def test_one_group_per_file_gives_the_group_options(lookup, tmp_path):
    write(tmp_path / "auth/readers.Group.yaml", {
        "name": "readers", "sourceId": "idp-readers", "metadata": {"origin": "toolkit"}, "capabilities": [ASSETS_READ],
        "attributes": {"token": {"appIds": ["app-1"]}},
    })
    assert lookup("auth/readers.Group.yaml") == [[{
        "name": "readers", "source_id": "idp-readers", "capabilities": [ASSETS_READ], "metadata": {"origin": "toolkit"},
        "attributes": {"token": {"appIds": ["app-1"]}},
    }]]


def test_only_the_keys_a_file_sets_and_ids_are_kept_as_strings(lookup, tmp_path):
    write(tmp_path / "g.Group.yaml", {"name": "scoped", "metadata": None, "capabilities": [DATASETS, CATEGORY_NAMES]})
    assert lookup("g.Group.yaml") == [[{"name": "scoped", "capabilities": [DATASETS, CATEGORY_NAMES]}]]


def test_a_list_per_file_and_all_user_accounts(lookup, tmp_path):
    write(tmp_path / "team.Group.yaml", [
        {"name": "loaders", "members": ["user-1", "user-2"], "capabilities": [RAW_TABLES]},
        {"name": "everyone", "members": "allUserAccounts", "capabilities": []},
    ])
    assert lookup("team.Group.yaml") == [[
        {"name": "loaders", "members": ["user-1", "user-2"], "capabilities": [RAW_TABLES]},
        {"name": "everyone", "members": ["allUserAccounts"], "capabilities": []},
    ]]


def test_a_folder_is_read_recursively_sorted_and_by_kind(lookup, tmp_path):
    """A build folder as cognite-toolkit 0.9.28's `cdf build` writes it: build/auth/<n>-<source>-<name>.<Kind>.yaml,
    one object each, beside insights.csv and lineage.yaml."""
    build = tmp_path / "build"
    write(build / "auth/2-team-loaders.Group.yaml", {"name": "loaders", "members": ["u1"]})
    write(build / "auth/1-readers-readers.Group.yaml", {"name": "readers", "sourceId": "idp"})
    write(build / "auth/1-legal-legal.SecurityCategory.yaml", {"name": "legal"})
    write(build / "more/deeper/x.group.yml", {"name": "deep", "members": ["u2"]})
    write(build / "lineage.yaml", {"timestamp": "now"})
    (build / "insights.csv").write_text("code,source_file\n")
    assert [group["name"] for group in lookup("build")[0]] == ["readers", "loaders", "deep"]
    assert lookup("build", kind="security_category") == [["legal"]]
    assert lookup(str(build / "auth"), kind="security_category") == [["legal"]]  # an absolute path


def test_globs_match_files_of_the_kind_and_folders(lookup, tmp_path):
    write(tmp_path / "build/mod_a/auth/a.Group.yaml", {"name": "a", "members": ["u"]})
    write(tmp_path / "build/mod_b/auth/b.Group.yaml", {"name": "b", "members": ["u"]})
    write(tmp_path / "build/mod_b/auth/b.SecurityCategory.yaml", {"name": "cat-b"})
    assert [g["name"] for g in lookup("build/*/auth")[0]] == ["a", "b"]
    assert [g["name"] for g in lookup("build/**/*.Group.yaml")[0]] == ["a", "b"]
    assert lookup("build/*/auth/*", kind="security_category") == [["cat-b"]]
    # the objects of all terms together, each file once
    assert [g["name"] for g in lookup("build/mod_b", "build/*/auth", "build/mod_a/auth/a.Group.yaml")[0]] == ["b", "a"]


def test_a_file_a_term_names_is_read_whatever_its_name(lookup, tmp_path):
    write(tmp_path / "my-groups.yaml", [{"name": "x", "members": ["u"]}])
    assert lookup("my-groups.yaml") == [[{"name": "x", "members": ["u"]}]]


def test_relative_terms_are_looked_up_as_ansible_file_lookups_do(lookup, tmp_path):
    role, playbook = tmp_path / "role", tmp_path / "playbook"
    write(role / "files/auth/r.Group.yaml", {"name": "in-role-files"})
    write(role / "auth/r.Group.yaml", {"name": "in-role"})
    write(playbook / "auth/p.Group.yaml", {"name": "beside-playbook"})
    assert lookup("auth", search_path=[role, playbook])[0] == [{"name": "in-role-files"}]
    assert lookup("auth", search_path=[playbook, role])[0] == [{"name": "beside-playbook"}]


def test_the_lookup_fits_the_access_module_options(lookup, tmp_path):
    """Every key returned is an option of dataops.iam.access's groups entries."""
    from ansible_collections.dataops.iam.plugins.modules import access

    suboptions = yaml.safe_load(access.DOCUMENTATION)["options"]["groups"]["suboptions"]
    assert set(toolkit.GROUP_KEYS.values()) <= set(suboptions)


# -- placeholders ------------------------------------------------------------------------------------------------

SOURCE = """\
# {{ env }}: a comment is not searched
name: readers-{{ env }}
sourceId: {{ source_id }}
members_count: 0
metadata:
  code: {{ code }}
  tag: '{{ tag }}'
capabilities:
  - dataModelsAcl:
      actions: [READ]
      scope:
        spaceIdScope:
          spaceIds:
            {{ spaces }}
  - rawAcl:
      actions: [READ]
      scope: {tableScope: {dbsToTables: {landing: {{ tables }}}}}
"""


def test_an_unresolved_placeholder_says_to_read_the_build_or_pass_variables(lookup, tmp_path):
    write(tmp_path / "modules/m/auth/readers.Group.yaml", SOURCE)
    message = error(lookup, "modules")
    assert "readers.Group.yaml line 2: unresolved placeholder {{ env }}" in message
    assert "the folder `cdf build` writes" in message and "`toolkit_vars` option" in message
    message = error(lookup, "modules", toolkit_vars={"env": "dev"})
    assert "line 3: unresolved placeholder {{ source_id }}" in message


def test_variables_fill_the_placeholders_as_the_toolkit_does(lookup, tmp_path):
    source = SOURCE.replace("members_count: 0\n", "")
    write(tmp_path / "readers.Group.yaml", source)
    values = {"env": "dev", "source_id": "idp-readers", "code": "0042", "tag": "v1:", "spaces": ["sp-a", "true"],
              "tables": ["t1", "t2"]}
    group = lookup("readers.Group.yaml", toolkit_vars=values)[0][0]
    assert group["name"] == "readers-dev" and group["source_id"] == "idp-readers"
    assert group["metadata"] == {"code": "0042", "tag": "v1:"}  # digits and a trailing colon stay strings
    assert group["capabilities"][0]["dataModelsAcl"]["scope"]["spaceIdScope"]["spaceIds"] == ["sp-a", "true"]
    assert group["capabilities"][1]["rawAcl"]["scope"]["tableScope"]["dbsToTables"] == {"landing": ["t1", "t2"]}


def test_environment_placeholders_need_a_value(lookup, tmp_path):
    write(tmp_path / "g.Group.yaml", "name: readers\nsourceId: ${IDP_READERS}\n")
    message = error(lookup, "g.Group.yaml")
    assert "g.Group.yaml line 2: unresolved placeholder ${IDP_READERS}" in message and "`cdf deploy`" in message
    assert lookup("g.Group.yaml", toolkit_vars={"IDP_READERS": "idp-1"}) == [[{"name": "readers", "source_id": "idp-1"}]]


def test_a_null_variable_and_a_built_file_without_placeholders(lookup, tmp_path):
    write(tmp_path / "g.Group.yaml", "name: g\nmetadata: {{ meta }}\n")
    assert lookup("g.Group.yaml", toolkit_vars={"meta": None}) == [[{"name": "g"}]]
    assert lookup("g.Group.yaml", toolkit_vars={"meta": {"a": "b"}}) == [[{"name": "g", "metadata": {"a": "b"}}]]


# -- errors ------------------------------------------------------------------------------------------------------


def test_nothing_found(lookup, tmp_path):
    assert "no file or folder matches missing (looked in %s)" % tmp_path in error(lookup, "missing")
    assert "no file or folder matches build/*/auth" in error(lookup, "build/*/auth")
    write(tmp_path / "auth/c.SecurityCategory.yaml", {"name": "c"})
    assert "holds no Group file (*.Group.yaml)" in error(lookup, "auth")
    assert "auth/* holds no Group file" in error(lookup, "auth/*")


def test_a_yaml_error_names_the_file_and_line(lookup, tmp_path):
    write(tmp_path / "bad.Group.yaml", "name: a\ncapabilities:\n  - [unclosed\n")
    message = error(lookup, "bad.Group.yaml")
    assert "bad.Group.yaml line 4 column 1 is not valid YAML" in message


@pytest.mark.parametrize("content, expected", [
    ("just text\n", "must hold a mapping or a list of mappings, not str"),
    ({"sourceId": "x"}, "g.Group.yaml is not a group: it has no name"),
    ([{"name": "a"}, "b"], "g.Group.yaml item 2 is not a group: it has no name"),
    ({"name": "  "}, "is not a group: it has no name"),
])
def test_an_object_that_is_not_a_group(lookup, tmp_path, content, expected):
    write(tmp_path / "g.Group.yaml", content)
    assert expected in error(lookup, "g.Group.yaml")


def test_unknown_keys_are_named_with_those_allowed(lookup, tmp_path):
    write(tmp_path / "g.Group.yaml", {"name": "g", "source_id": "x", "description": "d"})
    message = error(lookup, "g.Group.yaml")
    assert "('g') has keys a Group file may not have: source_id, description" in message
    assert "it may have name, sourceId, members, capabilities, metadata, attributes" in message
    write(tmp_path / "c.SecurityCategory.yaml", {"name": "c", "id": 1})
    message = error(lookup, "c.SecurityCategory.yaml", kind="security_category")
    assert "has keys a SecurityCategory file may not have: id; it may have name" in message


def test_source_id_and_members_and_members_values(lookup, tmp_path):
    write(tmp_path / "g.Group.yaml", {"name": "g", "sourceId": "x", "members": ["u"]})
    assert "has both sourceId and members" in error(lookup, "g.Group.yaml")
    write(tmp_path / "g.Group.yaml", {"name": "g", "members": "everyone"})
    assert "members is a list of user identifiers or allUserAccounts, not 'everyone'" in error(lookup, "g.Group.yaml")


def test_two_files_with_one_group_name(lookup, tmp_path):
    first = write(tmp_path / "auth/a.Group.yaml", {"name": "readers"})
    second = write(tmp_path / "auth/b.Group.yaml", [{"name": "other"}, {"name": "readers"}])
    message = error(lookup, "auth")
    assert "two objects named 'readers': in %s and in %s item 2" % (first, second) in message


def test_bad_options(lookup, tmp_path):
    write(tmp_path / "g.Group.yaml", {"name": "g"})
    assert "'my-env' not a variable name" in error(lookup, "g.Group.yaml", toolkit_vars={"my-env": "x"})
    with pytest.raises(Exception, match="kind"):
        lookup("g.Group.yaml", kind="groups")


def test_an_unreadable_file(lookup, tmp_path):
    (tmp_path / "g.Group.yaml").write_bytes(b"name: \xff\xfe\n")
    assert "cannot read" in error(lookup, "g.Group.yaml")
