# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Parsing and validation of CDF capabilities against the catalogue (standard library only).

``parse_capabilities`` checks each capability's shape, raising CapabilityError with a message that names
the capability by position and ACL and says how to fix it (``lenient=True``, for what the API returns: never
raises, a capability it cannot read becomes one opaque entry, see ``OPAQUE``), and turns it into a ``Parsed`` tuple
``(acl, actions, scope_name, value)``: actions sorted and unique; ``value`` is ``None`` for scopes without
fields, a sorted tuple of unique ids (int) or names (str), a sorted tuple of ``(db, tables)`` for tableScope
(``()`` tables: the whole database), or the canonical JSON of a scope the catalogue does not know.

What the catalogue knows to be wrong is refused in the task's own input (never in what the API returns): an id
outside 1 to 2^53 - 1 (``MAX_ID``), an ACL name without its ``Acl`` suffix or in the wrong case (every ACL name of
the API ends in ``Acl``), an action or a scope of a known ACL in the wrong case, and a scope the catalogue knows
that the ACL does not take (cognite-sdk 8.22 ``Capability._validate`` raises "got an unknown scope" for it). What
the catalogue does not know (ACLs, scope names, and actions of known ACLs) is kept and compared as given, with
one warning per distinct unknown thing: CDF adds actions to existing ACLs before any client knows them (cognite
toolkit PR #2963, "known ACLs with future or unknown actions are preserved"; cognite-sdk loads API responses with
``allow_unknown=True``, which accepts any action name), and new scope names (toolkit PR #2834,
``agentExternalIdScope``).
The public names live in capabilities.py, which re-exports CapabilityError.

Internal to the collection: not a public API.
"""

from __future__ import annotations

import json
from typing import Any, Optional

from ansible_collections.dataops.iam.plugins.module_utils.cdf.catalogue import ACLS

ALL_SCOPE = "all"
#: The largest CDF internal id: 2^53 - 1, the largest integer a JSON number keeps exactly in a JavaScript client.
#: cognite-sdk 8.22 refuses any other id: ``cognite/client/_constants.py`` ``MAX_VALID_INTERNAL_ID``, and
#: ``utils/_identifier.py`` ("Invalid id, must satisfy: 1 <= id <= 9007199254740991"); ids are int64 in cdf.md.
MAX_ID = 9007199254740991
MIN_ID = 1
ID_RANGE = "CDF ids are integers from %d to %d, 2^53 - 1" % (MIN_ID, MAX_ID)
ACL_SUFFIX = "Acl"
IGNORED_KEYS = frozenset({"projectScope", "projectUrlNames"})  # token inspection's, beside the ACL name
LEGACY_SCOPES = frozenset({"spaceScope", "dataModelScope"})  # cognite-sdk's LegacySpaceScope, LegacyDataModelScope
_KIND_BY_TYPE = {
    "list[int]": "ids",
    "list[str]": "names",
    "list[Literal['SEARCH']]": "names",
    "dict[str, list[str] | dict[str, list[str]]]": "tables",
}
_EXAMPLE = '{"groupsAcl": {"actions": ["LIST"], "scope": {"all": {}}}}'
_FIELD_HELP = {
    "ids": "a list of integer ids",
    "names": "a list of strings",
    "tables": 'a map of database to tables, such as {"db1": {"tables": ["t1"]}, "db2": {}}',
}
_FIELD_EXAMPLE = {"ids": "[123]", "names": '["name"]', "tables": '{"db1": {"tables": ["t1"]}}'}

Parsed = tuple  # (acl, actions, scope_name, value)
#: The scope name of a capability read from the API in a shape this module cannot read: its ``value`` is the
#: canonical JSON of the whole capability, its one action ``OPAQUE_ACTION``; written back exactly as returned.
OPAQUE = "<as returned>"
OPAQUE_ACTION = "?"


class CapabilityError(ValueError):
    """A capability of the wrong shape; the message names it by position and ACL and says how to fix it."""


def _scope_fields() -> dict[str, tuple[Optional[str], str]]:
    """scope name -> (field name or None, kind: empty | ids | names | tables), from the catalogue."""
    fields: dict[str, tuple[Optional[str], str]] = {}
    for acl in ACLS.values():
        for scope, spec in acl["scopes"].items():
            if not spec:
                fields[scope] = (None, "empty")
            else:
                ((field, field_type),) = spec.items()
                fields[scope] = (field, _KIND_BY_TYPE[field_type])
    return fields


SCOPE_FIELDS = _scope_fields()


def parse_capabilities(capabilities: Any, warnings: Optional[list] = None, lenient: bool = False) -> list[Parsed]:
    """Check and parse a list of capabilities; append warnings to ``warnings`` when given (one per distinct
    unknown or legacy thing, naming every position it occurs at). ``lenient=True`` never raises."""
    if lenient:
        return _parse_lenient(capabilities)
    if not isinstance(capabilities, list):
        raise CapabilityError(
            "capabilities must be a list of capabilities such as [%s], not %s" % (_EXAMPLE, _kind(capabilities))
        )
    found: dict = {}
    parsed = [_parse_one(index, capability, found, strict=True) for index, capability in enumerate(capabilities)]
    if warnings is not None:
        warnings.extend(_joined(found))
    return parsed


def _parse_lenient(capabilities: Any) -> list[Parsed]:
    """Data read from the API: what cannot be parsed is kept as one opaque entry, never refused."""
    if capabilities is None:
        return []
    items = capabilities if isinstance(capabilities, list) else [capabilities]
    parsed = []
    for index, capability in enumerate(items):
        try:
            parsed.append(_parse_one(index, capability, None))
        except CapabilityError:
            parsed.append(_opaque(capability))
    return parsed


def _opaque(capability: Any) -> Parsed:
    names = [key for key in capability if key not in IGNORED_KEYS] if isinstance(capability, dict) else []
    acl = names[0] if len(names) == 1 and isinstance(names[0], str) else "?"
    text = json.dumps(capability, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=repr)
    return acl, (OPAQUE_ACTION,), OPAQUE, text


def _joined(found: dict) -> list[str]:
    """One warning per distinct key: ``capabilities[1, 4] (acl): text``."""
    lines = []
    for (acl, _what), (text, positions) in found.items():
        lines.append("capabilities[%s] (%s): %s" % (", ".join(map(str, positions)), acl, text))
    return lines


def id_problem(value: Any) -> Optional[str]:
    """Why ``value`` (an int) is not a CDF id, or None: for any option that takes CDF ids."""
    if value < MIN_ID or value > MAX_ID:
        return "%s is not a CDF id (%s)" % (value, ID_RANGE)
    return None


def _parse_one(index: int, capability: Any, found: Optional[dict], strict: bool = False) -> Parsed:
    if not isinstance(capability, dict):
        raise CapabilityError(
            "capabilities[%d] must be a dict with one ACL name as its key, such as %s; got %s"
            % (index, _EXAMPLE, _short(capability))
        )
    names = list(capability) if len(capability) == 1 else [key for key in capability if key not in IGNORED_KEYS]
    if len(names) != 1 or not isinstance(names[0], str) or not names[0] or names[0] in IGNORED_KEYS:
        raise CapabilityError(
            "capabilities[%d] must have exactly one ACL name as its key (besides projectScope), such as %s; "
            "got keys: %s. Write each ACL as its own list item"
            % (index, _EXAMPLE, ", ".join(map(repr, names)) or "none")
        )
    acl = names[0]
    if strict and acl not in ACLS:
        _check_acl_name(index, acl)
    body = capability[acl]
    if not isinstance(body, dict) or len(body) != 2 or "actions" not in body or "scope" not in body:
        got = "keys: " + (", ".join(map(repr, body)) or "none") if isinstance(body, dict) else _short(body)
        raise CapabilityError(
            '%s: the ACL must map to exactly "actions" and "scope", such as {"actions": ["READ"], '
            '"scope": {"all": {}}}; got %s' % (_where(index, acl), got)
        )
    known = ACLS.get(acl)
    actions = _parse_actions(index, acl, body["actions"])
    scope, scope_body = _scope_item(index, acl, body["scope"])
    if strict and known is not None:
        _check_known_acl(index, acl, known, actions, scope)
    value = _parse_scope(index, acl, scope, scope_body, strict)
    if found is not None:
        for key, text in _warnings(acl, known, actions, scope, value):
            found.setdefault((acl, key), (text, []))[1].append(index)
    return acl, actions, scope, value


def _check_acl_name(index: int, acl: str) -> None:
    """Refuse an ACL name the catalogue knows to be wrong: a known name in another case, or without ``Acl``."""
    by_lower = {name.lower(): name for name in ACLS}
    right = by_lower.get(acl.lower()) or by_lower.get(acl.lower() + ACL_SUFFIX.lower())
    if right is None and acl.endswith(ACL_SUFFIX):
        return  # plausibly newer than the catalogue: warned about in _warnings
    if right is None:
        import difflib

        close = difflib.get_close_matches(acl + ACL_SUFFIX, ACLS, n=1, cutoff=0.8)
        right = close[0] if close else None
    hint = "; did you mean %r?" % right if right else ""
    if acl.lower() in by_lower:
        reason = "ACL names are case-sensitive"
    else:
        reason = "every CDF ACL name ends in %r" % ACL_SUFFIX
    raise CapabilityError("%s: %r is not an ACL name: %s%s" % (_where(index, acl), acl, reason, hint))


def _check_known_acl(index: int, acl: str, known: dict, actions: tuple, scope: str) -> None:
    """Refuse what the catalogue knows a known ACL does not take: a scope it lists for other ACLs only, and an
    action or a scope of its own in the wrong case. Unknown action and scope names only warn (``_warnings``)."""
    valid = known["actions"]
    for action in actions:
        if action not in valid and action.upper() in valid:
            raise CapabilityError(
                "%s: %r is not an action of %s (%s); action names are upper case: did you mean %r?"
                % (_where(index, acl), action, acl, ", ".join(valid), action.upper())
            )
    scopes = known["scopes"]
    if scope in scopes:
        return
    same = [name for name in scopes if name.lower() == scope.lower()]
    if same:
        raise CapabilityError(
            "%s: scope %r is not one of %s's scopes (%s); scope names are case-sensitive: did you mean %r?"
            % (_where(index, acl), scope, acl, ", ".join(scopes), same[0])
        )
    if scope in SCOPE_FIELDS:
        raise CapabilityError(
            "%s: %s does not take scope %r; its scopes are %s (the API refuses it)"
            % (_where(index, acl), acl, scope, ", ".join(scopes))
        )


def _where(index: int, acl: str) -> str:
    """How messages name a capability: by position and ACL (built only when needed)."""
    return "capabilities[%d] (%s)" % (index, acl)


def _parse_actions(index: int, acl: str, actions: Any) -> tuple:
    """The actions, sorted and unique; any non-empty name is kept (an unknown one only warns)."""
    if not isinstance(actions, list) or not actions or not all(isinstance(a, str) and a for a in actions):
        raise CapabilityError(
            '%s: actions must be a non-empty list of action names, such as ["READ"]; got %s'
            % (_where(index, acl), _short(actions))
        )
    return tuple(sorted(set(actions)))


def _scope_item(index: int, acl: str, scope: Any) -> tuple[str, Any]:
    if not isinstance(scope, dict) or len(scope) != 1:
        raise CapabilityError(
            '%s: scope must be a dict with exactly one scope name, such as {"all": {}}; got %s'
            % (_where(index, acl), _short(scope))
        )
    ((name, body),) = scope.items()
    if not isinstance(name, str) or not name:
        raise CapabilityError(
            "%s: the scope name must be a non-empty string; got %s" % (_where(index, acl), _short(name))
        )
    return name, body


def _parse_scope(index: int, acl: str, scope: str, body: Any, strict: bool = False) -> Any:
    fields = SCOPE_FIELDS.get(scope)
    if fields is None:
        return _canonical_json(index, acl, scope, body)
    field, kind = fields
    if field is None or kind == "empty":  # the catalogue gives a field name to every other kind
        if not isinstance(body, dict) or body:
            hint = " (in YAML, a bare `%s:` is null)" % scope if body is None else ""
            raise CapabilityError(
                '%s: scope %r takes no fields: write {"%s": {}}%s; got %s'
                % (_where(index, acl), scope, scope, hint, _short(body))
            )
        return None
    if not isinstance(body, dict) or len(body) != 1 or field not in body:
        got = "fields: " + (", ".join(map(repr, body)) or "none") if isinstance(body, dict) else _short(body)
        raise CapabilityError(
            '%s: scope %r needs exactly the field %r (%s), such as {"%s": {"%s": %s}}; got %s'
            % (_where(index, acl), scope, field, _FIELD_HELP[kind], scope, field, _FIELD_EXAMPLE[kind], got)
        )
    values = body[field]
    if kind == "tables":
        return _parse_tables(index, acl, scope, values)
    if isinstance(values, list):
        if kind == "ids" and all(_is_int(item) and (not strict or MIN_ID <= item <= MAX_ID) for item in values):
            return tuple(sorted(set(values)))  # the usual cases, checked quickly
        if kind == "names" and all(isinstance(item, str) and item for item in values):
            return tuple(sorted(set(values)))
    return _parse_items(index, acl, scope, field, kind, values, strict)


def _parse_items(index: int, acl: str, scope: str, field: str, kind: str, values: Any, strict: bool = False) -> tuple:
    """Ids given as strings of digits, or the error naming the first bad item (``strict``: also an id out of range)."""
    path = "%s.%s" % (scope, field)
    if not isinstance(values, list):
        raise CapabilityError(
            "%s: %s must be %s; got %s" % (_where(index, acl), path, _FIELD_HELP[kind], _short(values))
        )
    items = set()
    for position, item in enumerate(values):
        number = int(item) if kind == "ids" and isinstance(item, str) and item.isascii() and item.isdigit() else item
        if kind == "ids" and _is_int(number):
            problem = id_problem(number) if strict else None
            if problem:
                raise CapabilityError("%s: %s[%d]: %s" % (_where(index, acl), path, position, problem))
            items.add(number)
        elif kind == "ids":
            raise CapabilityError(
                '%s: %s[%d] must be an integer id (or a string of digits such as "12"); got %s'
                % (_where(index, acl), path, position, _short(item))
            )
        elif isinstance(item, str) and item:
            items.add(item)
        else:
            raise CapabilityError(
                "%s: %s[%d] must be a non-empty string; got %s" % (_where(index, acl), path, position, _short(item))
            )
    return tuple(sorted(items))


def _parse_tables(index: int, acl: str, scope: str, dbs: Any) -> tuple:
    path = "%s.dbsToTables" % scope
    if not isinstance(dbs, dict):
        raise CapabilityError(
            "%s: %s must be %s; got %s" % (_where(index, acl), path, _FIELD_HELP["tables"], _short(dbs))
        )
    parsed = []
    for db, spec in dbs.items():
        if not isinstance(db, str) or not db:
            raise CapabilityError(
                "%s: %s: database names must be non-empty strings; got %s" % (_where(index, acl), path, _short(db))
            )
        tables = spec.get("tables", []) if isinstance(spec, dict) and set(spec) <= {"tables"} else spec
        if not isinstance(tables, list) or not all(isinstance(table, str) and table for table in tables):
            raise CapabilityError(
                '%s: %s[%r] must be {"tables": [names]}, a list of table names, or {} or [] for the whole '
                "database; got %s" % (_where(index, acl), path, db, _short(spec))
            )
        parsed.append((db, tuple(sorted(set(tables)))))
    parsed.sort()
    return tuple(parsed)


def _canonical_json(index: int, acl: str, scope: str, body: Any) -> str:
    """One string for an unknown scope's body: keys sorted, lists of only strings or only ints sorted."""
    if not isinstance(body, dict):
        raise CapabilityError(
            "%s: scope %r must be a dict of its fields ({} when it has none); got %s"
            % (_where(index, acl), scope, _short(body))
        )
    try:
        return json.dumps(_canonical(body), sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as err:
        raise CapabilityError(
            "%s: scope %r must hold plain JSON data (%s)" % (_where(index, acl), scope, err)
        ) from None


def _canonical(value: Any) -> Any:
    if isinstance(value, dict):
        if not all(isinstance(key, str) for key in value):
            raise TypeError("keys must be strings")
        return {key: _canonical(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        items = [_canonical(item) for item in value]
        if items and (all(isinstance(i, str) for i in items) or all(_is_int(i) for i in items)):
            return sorted(set(items))
        return items
    return value


def _warnings(acl: str, known: Optional[dict], actions: tuple, scope: str, value: Any) -> list[tuple]:
    """``(key, text)`` for each thing worth a warning; the key makes one warning per distinct thing."""
    if known is None:
        import difflib

        close = difflib.get_close_matches(acl, ACLS, n=1, cutoff=0.8)
        hint = "; did you mean %r?" % close[0] if close else ""
        return [
            ("acl", "ACL %r is not in the catalogue: kept and compared as given (CDF adds ACLs faster than "
             "any client)%s" % (acl, hint))
        ]
    found: list[tuple] = []
    if known.get("legacy"):
        found.append(("legacy", "%s is a legacy ACL that CDF no longer uses; kept and compared like any other" % acl))
    found.extend(_action_warnings(acl, known, actions))
    if scope not in known["scopes"]:
        found.append(
            (("scope", scope), "scope %r is not known for %s (known: %s): kept and compared as given (CDF adds "
             "scopes faster than any client)" % (scope, acl, ", ".join(known["scopes"])))
        )
    elif scope in LEGACY_SCOPES:
        found.append(
            (("scope", scope), "scope %r is legacy; prefer %s"
             % (scope, ", ".join(s for s in known["scopes"] if s not in LEGACY_SCOPES)))
        )
    if value == ():
        found.append((("empty", scope), "scope %r lists nothing, so this capability grants nothing" % scope))
    return found


def _action_warnings(acl: str, known: dict, actions: tuple) -> list[tuple]:
    """A known ACL with an action the catalogue lacks: kept (toolkit PR #2963); a wrong case was refused before."""
    valid = known["actions"]
    found = []
    for action in actions:
        if action in valid:
            continue
        found.append(
            (("action", action), "action %r is not known for %s (known: %s): kept and compared as given (CDF adds "
             "actions faster than any client)" % (action, acl, ", ".join(sorted(valid))))
        )
    return found


def _is_int(value: Any) -> bool:
    """An int that is not a bool (True is not an id)."""
    return isinstance(value, int) and not isinstance(value, bool)


def _kind(value: Any) -> str:
    return type(value).__name__


def _short(value: Any, limit: int = 120) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
