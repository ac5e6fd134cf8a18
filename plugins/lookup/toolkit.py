# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The dataops.iam.toolkit lookup: cognite-toolkit's group and security category files as the input of access."""

from __future__ import annotations

DOCUMENTATION = r"""
---
name: toolkit
short_description: Read cognite-toolkit group and security category files as the input of dataops.iam.access
version_added: 0.1.0
author:
  - dataops.iam maintainers (@dataops-iam)
description:
  - Reads the resource files of L(cognite-toolkit,https://github.com/cognitedata/toolkit) (C(cdf)), C(*.Group.yaml)
    or C(*.SecurityCategory.yaml), and returns their objects in the form M(dataops.iam.access) and
    M(dataops.iam.group) take, so that a project deployed with the toolkit can be brought under this collection
    without rewriting its files.
  - "Each file holds one object or a list of them, in the API's field names, as the toolkit reads them. A Group
    file may have the keys C(name), C(sourceId), C(members) (a list, or C(allUserAccounts)), C(capabilities),
    C(metadata) and C(attributes); each group is returned as an entry of O(dataops.iam.access#module:groups), with
    C(name), C(source_id), C(members) (the toolkit's C(members: allUserAccounts) becomes V([allUserAccounts])),
    C(capabilities), C(metadata) and C(attributes): only the keys its file sets, none that is null. A
    SecurityCategory file has C(name) only."
  - "Capabilities are passed as the files give them, in the API's format. In toolkit files the ids of a
    C(datasetScope) are data set external ids, and the ids of the C(idscope) of C(securityCategoriesAcl) may be
    category names: they are kept as they are, strings, for the collection to resolve."
  - "Best read from the folder C(cdf build) writes (C(build/) by default, with the files in C(build/auth/), one
    object each, named like C(1-readers-readers.Group.yaml)): the toolkit has filled in there the C({{ variable }})
    placeholders of its source files (the values of C(config.<env>.yaml)). Source files (C(modules/.../auth/))
    can be read too when O(toolkit_vars) gives the values of their placeholders."
  - "Errors, before any task runs with the result: a term that matches nothing, or no file of the O(kind); a file
    that is not YAML (with its line and column); an object without a name; keys a file of that kind may not have
    (named, with those it may have); a group with both C(sourceId) and C(members); a placeholder left unresolved;
    two objects with one name (with both files)."
options:
  _terms:
    description:
      - "Paths of toolkit resource files: a file; a folder, of which every file of the O(kind) below it (at any
        depth) is read, in sorted order; or a glob pattern (C(*), C(?), C([...]), C(**) for any depth), of which each
        matching file of the O(kind) is read and each matching folder as a folder."
      - "A file of the O(kind) is a C(.yaml) or C(.yml) file whose name before the suffix ends with the kind's name,
        C(Group) or C(SecurityCategory) (in any case), as the toolkit tells them apart. A file a term names itself
        (not through a folder or a glob) is read whatever its name."
      - "A relative path is looked up where the C(ansible.builtin.file) lookup looks up files: in the C(files/)
        folder and then the folder itself of the role, of the tasks file and of the playbook, the first where it
        matches; V({{ playbook_dir }}/build) names one beside the playbook without a search."
      - The objects of all terms are returned together, each file read once.
    type: list
    elements: path
    required: true
  kind:
    description:
      - The kind of toolkit resource to read. V(group) reads C(*.Group.yaml) files and returns groups;
        V(security_category) reads C(*.SecurityCategory.yaml) files and returns category names.
    type: str
    choices: [group, security_category]
    default: group
  toolkit_vars:
    description:
      - "Values for the toolkit's C({{ name }}) placeholders in source files, as the toolkit's C(config.<env>.yaml)
        gives them to C(cdf build); needed only when the terms name source files, not a built folder."
      - "Each placeholder is replaced in the file's text before it is read as YAML, as the toolkit does: a string as
        it is (quoted when it is all digits or ends with C(:)), V(null) for none, a list as a YAML block sequence when
        the placeholder stands alone on its line, else as a flow sequence."
      - "They also fill the C(${NAME}) placeholders that C(cdf deploy) fills from the environment (give them a value
        from the C(ansible.builtin.env) lookup, for example). Without a value these are an error, as
        C({{ name }}) ones are: nothing is applied with a placeholder for a value."
      - "Named like C(template_vars) of the C(ansible.builtin.template) lookup: a lookup cannot have an option
        C(variables), the name of the argument by which ansible-core passes a lookup the play's variables."
    type: dict
    default: {}
notes:
  - "Call it with the C(lookup) function: the result is one list, of groups or of names. The plugin returns that
    list as the one element of its result, so that C(lookup) gives the list itself whatever its length
    (ansible-core unwraps a one-element result, and would join several strings with commas). The C(query)
    function, or C(lookup) with C(wantlist=true), gives a list of one list: add C(| first)."
  - The files are read on the controller, when the task that uses the result is templated.
  - "Lines that are comments (starting with C(#)) are not searched for placeholders."
seealso:
  - module: dataops.iam.access
  - module: dataops.iam.group
  - name: cognite-toolkit
    description: The toolkit's documentation.
    link: https://docs.cognite.com/cdf/deploy/cdf_toolkit/
"""

EXAMPLES = r"""
- name: Apply the groups and categories the toolkit builds
  hosts: localhost
  connection: local
  gather_facts: false
  vars:
    ansible_python_interpreter: "{{ ansible_playbook_python }}"
    readers_source_id: 6f1a2b3c-0000-4000-8000-000000000001
  tasks:
    # `cdf build` has written build/auth/*.Group.yaml and *.SecurityCategory.yaml beside the playbook
    - name: The toolkit project's access model
      dataops.iam.access:
        groups: "{{ lookup('dataops.iam.toolkit', playbook_dir ~ '/build') }}"
        security_categories: "{{ lookup('dataops.iam.toolkit', playbook_dir ~ '/build', kind='security_category') }}"

    - name: One module's source files, with the values its config.<env>.yaml would give
      dataops.iam.access:
        groups: >-
          {{ lookup('dataops.iam.toolkit', playbook_dir ~ '/modules/my_module/auth',
                    toolkit_vars={'env': 'prod', 'readers_source_id': readers_source_id}) }}

    - name: Two globs; with query() the result is a list of one list
      ansible.builtin.debug:
        msg: "{{ query('dataops.iam.toolkit', 'build/auth/*readers*', 'build/auth/*admins*') | first | map(attribute='name') }}"
"""

RETURN = r"""
_raw:
  description:
    - "One element: the list of the objects read, in the order of the terms and, below a folder or a glob, of the
      sorted paths. For O(kind=group), groups (dicts with the keys C(name), and those of C(source_id),
      C(members), C(capabilities), C(metadata) and C(attributes) a file sets); for O(kind=security_category), names.
      The C(lookup) function returns that list, C(query) a list holding it."
  type: list
  elements: list
"""

import glob
import json
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped]  # ansible-core's own dependency
from ansible.errors import AnsibleLookupError
from ansible.plugins.lookup import LookupBase

#: The lookup's kinds and the toolkit's name of each (the end of its files' stems).
KIND_NAMES = {"group": "Group", "security_category": "SecurityCategory"}
#: A Group file's keys (cognite_toolkit/_cdf_tk/yaml_classes/groups.py, 0.9.28: camelCase aliases, extra="forbid")
#: and the option of dataops.iam.group each becomes.
GROUP_KEYS = {
    "name": "name",
    "sourceId": "source_id",
    "members": "members",
    "capabilities": "capabilities",
    "metadata": "metadata",
    "attributes": "attributes",
}
#: A SecurityCategory file's keys (yaml_classes/securitycategories.py: name only).
CATEGORY_KEYS = ("name",)
#: The toolkit's YAML suffixes (constants.YAML_SUFFIX) and its patterns of unresolved placeholders: build variables
#: (commands/build_v2/data_classes/_build.py, UNRESOLVED_VARIABLE_PATTERN) and environment variables, filled by
#: `cdf deploy` (constants.ENV_VAR_PATTERN).
YAML_SUFFIXES = (".yaml", ".yml")
UNRESOLVED = re.compile(r"\{\{.*?\}\}")
ENV_PLACEHOLDER = re.compile(r"\$\{([^}]+)\}")
VARIABLE_NAME = re.compile(r"^[A-Za-z0-9_]+$")
GLOB_MAGIC = re.compile(r"[*?[]")
ALL_USER_ACCOUNTS = "allUserAccounts"


def fail(message: str) -> AnsibleLookupError:
    """The lookup's error, its name first."""
    return AnsibleLookupError("dataops.iam.toolkit: " + message)


def is_kind_file(path: Path, kind: str) -> bool:
    """Whether ``path`` is a file of ``kind``, as the toolkit tells (ResourceIO.is_supported_file): a YAML suffix
    and a stem that ends with the kind's name, in any case."""
    return path.suffix in YAML_SUFFIXES and path.stem.casefold().endswith(KIND_NAMES[kind].casefold())


def candidates(term: str, search_paths: Sequence[str], pattern: bool) -> list[str]:
    """Where a term may be: itself when absolute, else below each search path's ``files/`` and then the path
    (escaped for glob when the term is a ``pattern``)."""
    term = os.path.expanduser(term)
    if os.path.isabs(term):
        return [term]
    found = []
    for base in search_paths:
        base = glob.escape(base) if pattern else base
        found += [os.path.join(base, "files", term), os.path.join(base, term)]
    return found


def matches(term: str, search_paths: Sequence[str]) -> list[str]:
    """The paths of the first candidate that matches anything (a pattern's matches sorted), or none."""
    pattern = GLOB_MAGIC.search(term) is not None
    for candidate in candidates(term, search_paths, pattern):
        found = sorted(glob.glob(candidate, recursive=True)) if pattern else [candidate] * os.path.exists(candidate)
        if found:
            return found
    return []


def term_files(term: str, kind: str, search_paths: Sequence[str]) -> list[Path]:
    """The files a term names, in order: itself (whatever its name), the files of ``kind`` below a folder, or a
    pattern's matching files of ``kind`` and the files of ``kind`` below its matching folders."""
    found = matches(term, search_paths)
    if not found:
        where = term if os.path.isabs(os.path.expanduser(term)) else "%s (looked in %s)" % (term, ", ".join(search_paths))
        raise fail("no file or folder matches %s" % where)
    named = GLOB_MAGIC.search(term) is None
    files: list[Path] = []
    for name in found:
        path = Path(name)
        if path.is_dir():
            files += sorted(child for child in path.rglob("*") if child.is_file() and is_kind_file(child, kind))
        elif path.is_file() and (named or is_kind_file(path, kind)):
            files.append(path)
    if not files:
        raise fail("%s holds no %s file (*.%s.yaml)" % (found[0] if named else term, KIND_NAMES[kind], KIND_NAMES[kind]))
    return files


# -- placeholders ------------------------------------------------------------------------------------------------


def scalar(value: Any) -> str:
    """A value as YAML text, as the toolkit writes a variable into a file (BuildVariable.get_pattern_replace_pair)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"%s"' % value if value.isdigit() or value.endswith(":") else value
    if isinstance(value, (int, float)):
        return str(value)
    return json.dumps(value)


def block_item(value: Any) -> str:
    """One item of a block sequence (the toolkit's _yaml_block_sequence_scalar)."""
    if isinstance(value, str) and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.-]*", value) and value.lower() not in (
        "true", "false", "null", "yes", "no", "on", "off"
    ):
        return value
    return scalar(value) if isinstance(value, (bool, int, float)) or value is None else json.dumps(value)


def block_sequence(text: str, token: str, items: list) -> str:
    """``text`` with each line that is only the placeholder ``token`` replaced by ``items`` as a block sequence."""

    def lines(match: re.Match[str]) -> str:
        return "\n".join("%s- %s" % (match.group("indent"), block_item(item)) for item in items)

    return re.sub(r"(?m)^(?P<indent>[ \t]*)%s[ \t]*$" % token, lines, text)


def substitute(text: str, variables: Mapping[str, Any]) -> str:
    """``text`` with each variable's ``{{ name }}`` and ``${name}`` placeholders replaced by its value."""
    for name, value in variables.items():
        token = r"\{\{\s*%s\s*\}\}" % re.escape(name)
        if isinstance(value, str) and (value.isdigit() or value.endswith(":")):
            token = "'%s'|\"%s\"|%s" % (token, token, token)  # the toolkit quotes it, so drops the file's quotes
        if isinstance(value, Sequence) and not isinstance(value, str):
            value = list(value)
            text = block_sequence(text, token, value)
        replacement = scalar(value)
        text = re.sub(token, replacement.replace("\\", "\\\\"), text)  # a literal replacement
        if value is not None:
            text = text.replace("${%s}" % name, json.dumps(value) if "\n" in str(value) else str(value))
    return text


def unresolved(text: str) -> tuple[int, str] | None:
    """The line and text of the first placeholder left in ``text`` (comment lines aside), if any."""
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith("#"):
            continue
        found = UNRESOLVED.search(line) or ENV_PLACEHOLDER.search(line)
        if found:
            return number, found.group(0)
    return None


# -- files and objects -------------------------------------------------------------------------------------------


def read_objects(path: Path, variables: Mapping[str, Any]) -> list:
    """The objects of one file: a mapping, or a list of them, once its placeholders are replaced."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise fail("cannot read %s: %s" % (path, getattr(exc, "strerror", None) or exc)) from None
    text = substitute(text, variables)
    left = unresolved(text)
    if left is not None:
        line, placeholder = left
        if placeholder.startswith("$"):
            hint = "an environment variable that `cdf deploy` fills in: pass its value in the `toolkit_vars` option"
        else:
            hint = ("a variable of the toolkit's config.<env>.yaml: point the lookup at the folder `cdf build` writes "
                    "(e.g. build/), where the toolkit has filled it in, or pass its value in the `toolkit_vars` option")
        raise fail("%s line %d: unresolved placeholder %s, %s" % (path, line, placeholder, hint))
    try:
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 (a safe loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = " line %d column %d" % (mark.line + 1, mark.column + 1) if mark else ""
        raise fail("%s%s is not valid YAML: %s" % (path, where, exc.problem or exc.context)) from None
    except yaml.YAMLError as exc:
        raise fail("%s is not valid YAML: %s" % (path, exc)) from None
    if data is None:
        return []
    if isinstance(data, dict):
        return [data]
    if isinstance(data, list):
        return data
    raise fail("%s must hold a mapping or a list of mappings, not %s" % (path, type(data).__name__))


def object_name(item: Any, where: str, kind: str) -> str:
    """The object's name; an error when it is no mapping or has no name."""
    if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not item["name"].strip():
        label = "group" if kind == "group" else "security category"
        raise fail("%s is not a %s: it has no name (a mapping with a `name` is expected)" % (where, label))
    return item["name"]


def check_keys(item: dict, allowed: Sequence[str], where: str, kind: str) -> None:
    """An error naming the keys of ``item`` a file of ``kind`` may not have, and those it may."""
    unknown = [key for key in item if key not in allowed]
    if unknown:
        raise fail(
            "%s (%r) has keys a %s file may not have: %s; it may have %s (the API's field names)"
            % (where, item["name"], KIND_NAMES[kind], ", ".join(map(str, unknown)), ", ".join(allowed))
        )


def as_group(item: dict, where: str) -> dict:
    """A Group file's object as dataops.iam.group's options (only the keys set, none that is null)."""
    check_keys(item, list(GROUP_KEYS), where, "group")
    if item.get("sourceId") is not None and item.get("members") is not None:
        raise fail("%s (%r) has both sourceId and members; a group has one or the other" % (where, item["name"]))
    group = {GROUP_KEYS[key]: item[key] for key in GROUP_KEYS if item.get(key) is not None}
    members = group.get("members")
    if isinstance(members, str):
        if members != ALL_USER_ACCOUNTS:
            raise fail("%s (%r): members is a list of user identifiers or allUserAccounts, not %r" % (where, item["name"], members))
        group["members"] = [members]
    return group


def as_category(item: dict, where: str) -> str:
    """A SecurityCategory file's object: its name."""
    check_keys(item, CATEGORY_KEYS, where, "security_category")
    return item["name"]


def read_all(files: Sequence[Path], kind: str, variables: Mapping[str, Any]) -> list:
    """The objects of ``files`` for ``kind``; an error when two have one name."""
    seen: dict[str, str] = {}
    out: list = []
    for path in files:
        objects = read_objects(path, variables)
        for index, item in enumerate(objects, start=1):
            where = "%s item %d" % (path, index) if len(objects) > 1 else str(path)
            name = object_name(item, where, kind)
            if name in seen:
                raise fail("two objects named %r: in %s and in %s; names must be unique" % (name, seen[name], where))
            seen[name] = where
            out.append(as_group(item, where) if kind == "group" else as_category(item, where))
    return out


def checked_variables(variables: Any) -> dict[str, Any]:
    """The ``toolkit_vars`` option, its names checked (the toolkit's variable names: letters, digits, underscores)."""
    if not isinstance(variables, Mapping):
        raise fail("toolkit_vars must be a dict of names and values, not %s" % type(variables).__name__)
    bad = [str(name) for name in variables if not isinstance(name, str) or not VARIABLE_NAME.match(name)]
    if bad:
        raise fail("toolkit_vars: %s not a variable name (letters, digits and underscores)" % ", ".join(map(repr, bad)))
    return dict(variables)


class LookupModule(LookupBase):
    """Groups or category names read from cognite-toolkit resource files; the list is the result's one element."""

    def run(self, terms: list, variables: dict | None = None, **kwargs: Any) -> list:
        variables = variables or {}
        self.set_options(var_options=variables, direct=kwargs)
        kind = self.get_option("kind")
        if kind not in KIND_NAMES:
            raise fail("kind must be one of %s, not %r" % (", ".join(KIND_NAMES), kind))
        values = checked_variables(self.get_option("toolkit_vars") or {})
        search_paths = list(variables.get("ansible_search_path") or [self.get_basedir(variables)])
        files: list[Path] = []
        for term in self._flatten(terms):
            if not isinstance(term, str) or not term:
                raise fail("each term is a path, not %r" % (term,))
            files += [path for path in term_files(term, kind, search_paths) if path not in files]
        return [read_all(files, kind, values)]
