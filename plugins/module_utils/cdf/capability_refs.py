# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Readable capabilities: data sets, extraction pipelines and security categories by name, as toolkit YAML has them.

In ``datasetScope`` ids, a string that is not a number is a data set's external id; in ``extractionPipelineScope``
ids, an extraction pipeline's external id; in ``securityCategoriesAcl`` ``idscope`` ids, a security category's
name. cognite-toolkit's group files write them so (it resolves them at deploy: data sets and extraction pipelines
by external id, security categories by name; cognite_toolkit/_cdf_tk/resource_ios/_auth.py). ``References``
resolves every one of a run with one lookup per kind (``POST /datasets/byids`` and ``POST /extpipes/byids`` with
``externalId`` items and ``ignoreUnknownIds``, the category list), names each that does not exist before any
write, substitutes the ids into the capabilities, and names them again for ``--diff`` and the ``access`` plan
(``label``). Internal to the collection.
"""

from __future__ import annotations

import copy
from typing import Any, Optional

from ansible_collections.dataops.iam.plugins.module_utils.cdf.security_categories import list_categories
from ansible_collections.dataops.iam.plugins.module_utils.tasks import TaskError

#: scope name -> (kind of object, how a message names one); for any ACL.
SCOPES = {"datasetScope": ("datasets", "data set"), "extractionPipelineScope": ("extpipes", "extraction pipeline")}
#: The one ACL whose ``idscope`` ids are security categories (timeSeriesAcl's are time series).
CATEGORY_ACL, CATEGORY_SCOPE = "securityCategoriesAcl", "idscope"
KINDS = {"datasets": "data set", "extpipes": "extraction pipeline", "categories": "security category"}
BYIDS = {"datasets": "datasets/byids", "extpipes": "extpipes/byids"}
#: What a lookup may ask for at a time (the byids endpoints take at most 1,000 items).
CHUNK = 1000


def _kind(acl: str, scope: str) -> Optional[str]:
    if scope in SCOPES:
        return SCOPES[scope][0]
    return "categories" if (acl, scope) == (CATEGORY_ACL, CATEGORY_SCOPE) else None


def is_name(item: Any) -> bool:
    """An element that names an object (a string that is not a number)."""
    return isinstance(item, str) and bool(item) and not (item.isascii() and item.isdigit())


def _named_lists(capabilities: Any) -> list:
    """(kind, the ids list) of every scope of ``capabilities`` that may hold names (in the task's own objects)."""
    found = []
    for capability in capabilities if isinstance(capabilities, list) else []:
        if not isinstance(capability, dict) or len(capability) != 1:
            continue
        ((acl, body),) = capability.items()
        scope = body.get("scope") if isinstance(body, dict) else None
        if not isinstance(scope, dict) or len(scope) != 1:
            continue
        ((name, scope_body),) = scope.items()
        kind = _kind(acl, name)
        if kind and isinstance(scope_body, dict) and isinstance(scope_body.get("ids"), list):
            found.append((kind, scope_body["ids"]))
    return found


def references(capabilities: Any) -> dict:
    """kind -> the names ``capabilities`` uses, in order of first use."""
    wanted: dict = {}
    for kind, ids in _named_lists(capabilities):
        for item in ids:
            if is_name(item) and item not in wanted.setdefault(kind, []):
                wanted[kind].append(item)
    return {kind: names for kind, names in wanted.items() if names}


def with_placeholders(capabilities: Any) -> Any:
    """``capabilities`` with every name as the id 1: what the shape checks see before the names are resolved."""
    if not references(capabilities):
        return capabilities
    copied = copy.deepcopy(capabilities)
    for _kind_name, ids in _named_lists(copied):
        ids[:] = [1 if is_name(item) else item for item in ids]
    return copied


class References:
    """The names of one run, resolved to ids; ``label`` names an id again for display."""

    def __init__(self) -> None:
        self.ids: dict = {kind: {} for kind in KINDS}  # kind -> name -> id
        self.names: dict = {kind: {} for kind in KINDS}  # kind -> id -> name
        #: Categories the run creates before its groups (``access``): name -> a stand-in id (negative) until then.
        self.placeholders: dict = {}

    def resolve(
        self, client: Any, wanted: dict, categories: Optional[list] = None, coming: tuple = ()
    ) -> list:
        """Look up every name of ``wanted`` (kind -> names), one request per kind; the messages for those that do
        not exist (empty when all do). ``categories``: the project's categories when the caller has read them;
        ``coming``: names of categories the run creates first, which get a stand-in id (``bind`` sets the real
        one)."""
        missing = []
        for kind, names in wanted.items():
            if kind == "categories":
                listed = categories if categories is not None else list_categories(client)
                found = {item.get("name"): item.get("id") for item in listed}
            else:
                items, _unknown = client.by_ids(
                    BYIDS[kind], list(names), key="externalId", parse=_items, chunk=CHUNK, ignore_unknown=True
                )
                found = {item.get("externalId"): item.get("id") for item in items}
            for name in names:
                if found.get(name) is None and kind == "categories" and name in coming:
                    found[name] = self.placeholders[name] = -1 - len(self.placeholders)
                if found.get(name) is None:
                    missing.append("%s %r" % (KINDS[kind], name))
                else:
                    self.ids[kind][name] = found[name]
                    self.names[kind][found[name]] = name
        return missing

    def substitute(self, capabilities: Any) -> Any:
        """``capabilities`` with each resolved name replaced by its id (a copy; the caller's list is untouched)."""
        if not references(capabilities):
            return capabilities
        copied = copy.deepcopy(capabilities)
        for kind, ids in _named_lists(copied):
            ids[:] = [self.ids[kind].get(item, item) if is_name(item) else item for item in ids]
        return copied

    def bind(self, created: dict) -> dict:
        """The real ids of the categories made since ``resolve`` (``created``: name -> category), as stand-in ->
        id; the labels follow."""
        bound = {}
        for name, stand_in in self.placeholders.items():
            category = created.get(name)
            if isinstance(category, dict) and category.get("id") is not None:
                bound[stand_in] = category["id"]
                self.ids["categories"][name] = category["id"]
                self.names["categories"][category["id"]] = name
        return bound

    def label(self, acl: str, scope: str, element: Any) -> Optional[str]:
        kind = _kind(acl, scope)
        return self.names[kind].get(element) if kind else None


def replace_category_ids(capabilities: Any, ids: dict) -> Any:
    """``capabilities`` (a copy) with the security category ids of ``ids`` (old -> new) replaced."""
    copied = copy.deepcopy(capabilities)
    for kind, listed in _named_lists(copied):
        if kind == "categories":
            listed[:] = [ids.get(item, item) for item in listed]
    return copied


def _items(body: Any) -> list:
    items = body.get("items") if isinstance(body, dict) else None
    return [item for item in items or [] if isinstance(item, dict)]


def resolved_references(client: Any, capabilities: Any, name: str) -> Optional[References]:
    """The names of one group's capabilities resolved (None when it names none); a TaskError, before any write,
    names each that does not exist."""
    wanted = references(capabilities)
    if not wanted:
        return None
    found = References()
    missing = found.resolve(client, wanted)
    if missing:
        raise TaskError(missing_message("group %r" % name, missing), changed=False)
    return found


def missing_message(what: str, missing: list) -> str:
    return (
        "%s names objects that do not exist in the project: %s (in datasetScope and extractionPipelineScope ids a "
        "string that is not a number is an external id, in securityCategoriesAcl idscope a category's name; nothing "
        "was changed)" % (what, ", ".join(missing))
    )
