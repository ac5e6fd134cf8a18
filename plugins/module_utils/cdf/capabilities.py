# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The capability-diff helper: validate, normalise, flatten, compare and describe CDF capabilities.

A capability is ``{aclName: {"actions": [...], "scope": {scopeName: {...}}}}``. Standard library only,
no per-ACL classes: everything works on plain dicts and tuples, in time linear in the flattened entries.

A flattened entry is a 5-tuple ``(acl, action, scope_name, element, extra)``, the layout of cognite-sdk's
``CapabilityTuple``:

- ``all`` and ``currentuserscope``: ``element`` and ``extra`` are ``None``;
- id and name scopes (``idScope``, ``spaceIdScope``, ...): ``element`` is one id (int) or name (str);
- ``tableScope``: ``element`` is the database, ``extra`` the table, ``""`` for the whole database;
- a scope the catalogue does not know: ``element`` is the canonical JSON of the scope's body (one opaque
  entry: nothing inside it is split or covered).

Scopes are read by their name: a known scope name has the same fields in every ACL, so it is checked and
flattened the same way even under an ACL the catalogue does not know. In a scope the catalogue does not know,
lists of strings only or of integers only are sorted and de-duplicated (scopes list identifiers, whose order
means nothing); other lists keep their order and the rest is kept exactly. ``projectScope`` (and the older
``projectUrlNames``), which token inspection adds beside the ACL, is ignored: filter by project first.

Only ``validate_capabilities`` refuses anything: it checks the task's own input, before any call. Every other
function also reads what the API returns and never raises: a capability it cannot read (a wrong shape) is one
opaque entry, equal only to itself, written back exactly as returned.

Internal to the collection: not a public API.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, Callable, Optional

from ansible_collections.dataops.iam.plugins.module_utils.cdf.capability_validation import (
    ALL_SCOPE,
    OPAQUE,
    SCOPE_FIELDS,
    CapabilityError,
    Parsed,
    parse_capabilities,
)

__all__ = [
    "CapabilityError",
    "capabilities_equal",
    "describe_capabilities",
    "flatten_capabilities",
    "missing_capabilities",
    "normalise_capabilities",
    "validate_capabilities",
]

RAW_ACL = "rawAcl"
TABLE_SCOPE = "tableScope"
DMI_ACL = "dataModelInstancesAcl"
# WRITE in all or in a space covers WRITE_PROPERTIES there; the SDK matches the space id whether the
# WRITE_PROPERTIES entry uses spaceIdScope or the legacy spaceScope (same ids, older name).
DMI_WRITE_SPACE_SCOPES = frozenset({"spaceIdScope", "spaceScope"})

Entry = tuple  # (acl, action, scope_name, element, extra)


def validate_capabilities(capabilities: list) -> list[str]:
    """Check every capability's shape (raise CapabilityError) and return warnings for what the catalogue
    does not know (unknown ACLs, scopes an ACL is not known to take), legacy ACLs and scopes, and scopes
    that grant nothing (an empty id list)."""
    warnings: list[str] = []
    parse_capabilities(capabilities, warnings)
    return warnings


def normalise_capabilities(capabilities: list) -> list[dict]:
    """The canonical wire form: ids as ints, ids, names, tables and actions sorted and de-duplicated,
    ``all: {}``, whole databases as ``{db: {"tables": []}}``; capabilities with the same ACL and the same
    scope merged (union of actions); sorted by ACL name, then scope. Unknown scopes as described above."""
    merged: dict[tuple, set] = {}
    for acl, actions, scope, value in parse_capabilities(capabilities, lenient=True):
        merged.setdefault((acl, scope, value), set()).update(actions)
    order = sorted(merged, key=lambda key: (key[0], key[1], () if key[2] is None else key[2]))
    return [
        json.loads(value)
        if scope == OPAQUE
        else {acl: {"actions": sorted(merged[acl, scope, value]), "scope": {scope: _scope_to_wire(scope, value)}}}
        for acl, scope, value in order
    ]


def declared_capabilities(capabilities: list) -> list[dict]:
    """The task's capabilities as a create sends them: in the task's own order and split (capabilities, actions,
    ids, tables), in the API's shape. Only what the API would not take as written changes: exact duplicates are
    dropped (capabilities, actions, ids), ids given as strings of digits become ints, a raw database given as a
    list of tables becomes ``{"tables": [...]}`` (``{}`` when the list is empty: the whole database).
    Comparison stays normalised (``capabilities_equal``); writing as declared is what lets a tool that compares
    lists as written (cognite-toolkit) see no change."""
    written: list = []
    seen: set = set()
    for capability in capabilities:
        wire = _declared_one(capability)
        key = json.dumps(wire, sort_keys=True, default=repr)
        if key not in seen:
            seen.add(key)
            written.append(wire)
    return written


def _declared_one(capability: Any) -> Any:
    if not isinstance(capability, dict) or len(capability) != 1:
        return capability
    ((acl, body),) = capability.items()
    if not isinstance(body, dict) or not isinstance(body.get("scope"), dict) or len(body["scope"]) != 1:
        return capability
    ((scope, scope_body),) = body["scope"].items()
    actions = body.get("actions")
    written = dict(body, actions=_unique(actions) if isinstance(actions, list) else actions)
    written["scope"] = {scope: _declared_scope(scope, scope_body)}
    return {acl: written}


def _declared_scope(scope: str, body: Any) -> Any:
    fields = SCOPE_FIELDS.get(scope)
    if fields is None or not isinstance(body, dict):
        return body
    field, kind = fields
    values = body.get(field) if field else None
    written = dict(body)
    if kind == "tables" and isinstance(values, dict):
        written[field] = {db: _declared_tables(spec) for db, spec in values.items()}
    elif kind in ("ids", "names") and isinstance(values, list):
        written[field] = _unique([_as_id(item) for item in values] if kind == "ids" else values)
    return written


def _declared_tables(spec: Any) -> Any:
    """A database's tables in the API's shape; a list (the shorthand toolkit YAML uses) as cognite-toolkit sends it
    through cognite-sdk: ``{"tables": [...]}``, and ``{}`` for a whole database (seen on the wire against the
    emulator, cognite-toolkit 0.9.28)."""
    if isinstance(spec, list):
        return {"tables": _unique(spec)} if spec else {}
    if isinstance(spec, dict) and isinstance(spec.get("tables"), list):
        return dict(spec, tables=_unique(spec["tables"]))
    return spec


def _as_id(item: Any) -> Any:
    return int(item) if isinstance(item, str) and item.isascii() and item.isdigit() else item


def _unique(items: list) -> list:
    """``items`` without repeats, in their order (unhashable items kept as they are)."""
    out: list = []
    for item in items:
        if item not in out:
            out.append(item)
    return out


def flatten_capabilities(capabilities: list) -> set[Entry]:
    """The set of flattened entries: one action, one scope, one id (or database and table) each."""
    return _flatten(parse_capabilities(capabilities, lenient=True))


def missing_capabilities(existing: list, desired: list, ignore_allscope_meaning: bool = False) -> list[dict]:
    """The flattened entries ``desired`` needs and ``existing`` lacks, in wire form, sorted.

    The meaning is that of cognite-sdk 8.22 ``IAMAPI.compare_capabilities``: ``all`` of an ACL and action
    covers every scope of it (nothing covers across actions; ``currentuserscope`` is covered only by itself
    or ``all``); in ``rawAcl`` a database with no tables covers that database's tables (a table never covers
    its database); in ``dataModelInstancesAcl`` WRITE in ``all``, or in the same space in ``spaceIdScope``,
    covers WRITE_PROPERTIES (in ``spaceIdScope``, or in the legacy ``spaceScope`` as the SDK does). A whole
    database comes back as ``{db: {"tables": []}}``. Legacy ACLs (genericsAcl, modelHostingAcl,
    templateGroupsAcl) and the legacy scopes spaceScope and dataModelScope are compared like any other, as
    the SDK does with capabilities given as dicts (it skips legacy ACLs only when given Capability objects).

    Differences from the SDK:

    - an empty ``existing`` (or one that flattens to nothing) means everything desired is missing, and an
      empty ``desired`` means nothing is: the SDK raises "No capabilities given" for either;
    - ACLs and scopes the catalogue does not know are compared opaquely, an entry matching only its exact
      equal (an unknown scope is one entry, nothing inside it is split), where the SDK raises (dicts) or
      skips (UnknownAcl objects); ``all`` of the same ACL and action still covers them, since ``all`` means
      every scope;
    - a known scope under a known ACL that the catalogue does not list for it warns in
      ``validate_capabilities`` and is compared by the scope's known shape; the SDK raises;
    - an action a known ACL is not known to take is compared as given (the SDK raises on dicts);
    - a capability of a shape this module cannot read is one opaque entry, equal only to itself (never an error:
      ``validate_capabilities`` checks the task's own input first), and ``projectScope`` is ignored, not used to
      pick a project;
    - the result is wire-format dicts, not Capability objects.

    With ``ignore_allscope_meaning=True`` nothing covers anything else: the plain set difference of the
    flattened sets.
    """
    have = flatten_capabilities(existing)
    wanted = flatten_capabilities(desired) - have
    if not ignore_allscope_meaning:
        covered = _coverage(have)
        wanted = {entry for entry in wanted if not covered(entry)}
    return [_entry_to_wire(entry) for entry in sorted(wanted)]


def capabilities_equal(a: list, b: list) -> bool:
    """Whether ``a`` and ``b`` grant exactly the same flattened entries (no coverage): when False, the group
    must be replaced."""
    return flatten_capabilities(a) == flatten_capabilities(b)


#: Names an element of a scope for display (``label(acl, scope, element)``: a data set's external id, ...), or None.
Label = Optional[Callable[[str, str, Any], Optional[str]]]


def describe_capabilities(capabilities: list, label: Label = None) -> list[str]:
    """One sorted line per ACL, scope and set of scope elements, for ``--diff``, e.g.
    ``datasetsAcl: READ [idScope: 1, 2, 3]`` or ``rawAcl: READ [tableScope: db1.*, db2.t1]``.

    Built from the flattened entries, so capabilities that grant the same thing read the same: actions
    sharing the same elements of a scope share a line. ``label`` shows an element by its name (a data set's
    external id) where it knows one (capability_refs.py)."""
    return describe_entries(flatten_capabilities(capabilities), label)


def capability_changes(current: list, desired: list, label: Label = None) -> tuple:
    """What going from ``current`` to ``desired`` adds and removes, exactly (no coverage), as described lines."""
    have, want = flatten_capabilities(current), flatten_capabilities(desired)
    return describe_entries(want - have, label), describe_entries(have - want, label)


def describe_entries(entries: Iterable[Entry], label: Label = None) -> list[str]:
    """``describe_capabilities`` of flattened entries."""
    elements: dict[tuple, dict[str, set]] = {}
    for acl, action, scope, element, extra in entries:
        elements.setdefault((acl, scope), {}).setdefault(action, set()).add((element, extra))
    lines = []
    for (acl, scope), by_action in elements.items():
        by_elements: dict[frozenset, list[str]] = {}
        for action, items in by_action.items():
            by_elements.setdefault(frozenset(items), []).append(action)
        for same_elements, actions in by_elements.items():
            ordered = sorted(same_elements)
            if scope == OPAQUE:  # no actions or scope to show: the capability as CDF returned it
                text = "%s: %s" % (acl, _describe_scope(scope, ordered))
            else:
                text = "%s: %s [%s]" % (acl, ", ".join(sorted(actions)), _describe_scope(scope, ordered, acl, label))
            lines.append(((acl, scope, sorted(actions), ordered), text))
    return [text for _key, text in sorted(lines)]


def _flatten(parsed: Iterable[Parsed]) -> set[Entry]:
    entries: set[Entry] = set()
    for acl, actions, scope, value in parsed:
        fields = SCOPE_FIELDS.get(scope)
        if fields is None or value is None:  # unknown (one opaque element) or a scope without fields
            entries.update([(acl, action, scope, value, None) for action in actions])
        elif fields[1] == "tables":
            pairs = [(db, table) for db, tables in value for table in tables or ("",)]
            for action in actions:
                entries.update([(acl, action, scope, db, table) for db, table in pairs])
        else:
            for action in actions:
                entries.update([(acl, action, scope, item, None) for item in value])
    return entries


def _coverage(have: set) -> Any:
    """A predicate telling whether ``have`` covers an entry it does not hold, from lookups built once."""
    all_scopes = set()
    whole_dbs = set()
    dmi_write_spaces = set()
    for acl, action, scope, element, extra in have:
        if scope == ALL_SCOPE:
            all_scopes.add((acl, action))
        elif acl == RAW_ACL and scope == TABLE_SCOPE and extra == "":
            whole_dbs.add((action, element))
        elif acl == DMI_ACL and action == "WRITE" and scope == "spaceIdScope":
            dmi_write_spaces.add(element)
    dmi_write_all = (DMI_ACL, "WRITE") in all_scopes

    def covered(entry: Entry) -> bool:
        acl, action, scope, element, extra = entry
        if (acl, action) in all_scopes:
            return True
        if acl == RAW_ACL:
            return scope == TABLE_SCOPE and bool(extra) and (action, element) in whole_dbs
        if acl == DMI_ACL and action == "WRITE_PROPERTIES":
            return dmi_write_all or (scope in DMI_WRITE_SPACE_SCOPES and element in dmi_write_spaces)
        return False

    return covered


def _scope_to_wire(scope: str, value: Any) -> dict:
    fields = SCOPE_FIELDS.get(scope)
    if fields is None:
        return json.loads(value)
    field, kind = fields
    if kind == "empty":
        return {}
    if kind == "tables":
        return {"dbsToTables": {db: {"tables": list(tables)} for db, tables in value}}
    return {field: list(value)}


def _entry_to_wire(entry: Entry) -> dict:
    acl, action, scope, element, extra = entry
    if scope == OPAQUE:
        return json.loads(element)
    fields = SCOPE_FIELDS.get(scope)
    if fields is None:
        body: dict = json.loads(element)
    elif fields[1] == "empty":
        body = {}
    elif fields[1] == "tables":
        body = {"dbsToTables": {element: {"tables": [extra] if extra else []}}}
    else:
        body = {fields[0]: [element]}
    return {acl: {"actions": [action], "scope": {scope: body}}}


def _describe_scope(scope: str, items: list[tuple], acl: str = "", label: Label = None) -> str:
    fields: Optional[tuple] = SCOPE_FIELDS.get(scope)
    if scope == OPAQUE:
        return "unreadable, kept as returned: %s" % ", ".join(str(element) for element, _extra in items)
    if fields is not None and fields[1] == "empty":
        return scope
    if fields is not None and fields[1] == "tables":
        shown = ["%s.%s" % (db, table or "*") for db, table in items]
    else:
        shown = [(label(acl, scope, element) if label else None) or str(element) for element, _extra in items]
    return "%s: %s" % (scope, ", ".join(shown))
