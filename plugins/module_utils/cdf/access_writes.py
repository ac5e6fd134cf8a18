# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The batched writes of the ``access`` module, and the record of what they did. Internal to the collection.

Order (``AccessWriter.apply``): new security categories (a group may name a category's id), then every new and
replacing group, then the deletes of the groups replaced, declared absent or purged, then the categories' deletes
(after the groups that may reference them). Each is sent in as few requests as the API's limits allow
(``GROUP_BATCH_ITEMS`` items and ``GROUP_BATCH_BYTES`` bytes a ``POST /groups``).

A batch whose answer is lost (a timeout, a 5xx) is never sent again blindly: the list is read again, and only
what is not there is sent again (write policy RECHECK, http.py). A 400 "failed to buffer request body" (CDF's
answer to a batch too large, api/cdf.md) created nothing: the batch is sent again in two halves. When a write
fails for good, the error carries what was done (``partial``), so the result says exactly what changed.

After its group creates the run reads the list once more and resolves the identical copies that runs racing it
made, as ``group`` does (duplicates.py: the lowest id is kept, the other copies deleted); a group delete answered
"missing" (another run deleted it first) counts as done, and so does a security category's
(groups.delete_read_ids).
"""

from __future__ import annotations

import json
from functools import partial
from typing import Any, Callable, Iterator, Optional

from ansible_collections.dataops.iam.plugins.module_utils.cdf.duplicates import copies_row, settle
from ansible_collections.dataops.iam.plugins.module_utils.cdf.groups import (
    delete_groups,
    delete_read_ids,
    explain_slot_limit,
    list_groups,
    same_group,
)
from ansible_collections.dataops.iam.plugins.module_utils.cdf.security_categories import list_categories
from ansible_collections.dataops.iam.plugins.module_utils.http import RECHECK, ApiError

#: cognite-toolkit's item limit for POST /groups and /groups/delete (its GroupsAPI endpoints: item_limit=1000).
GROUP_BATCH_ITEMS = 1000
#: Our own bound on the body of one POST /groups: CDF refuses very large bodies ("failed to buffer request body",
#: api/cdf.md) without saying where the limit is; 1,000 groups of typical size stay well under it.
GROUP_BATCH_BYTES = 1_000_000
#: POST /securitycategories and its delete take at most 1,000 items (the project's maximum of categories).
CATEGORY_BATCH = 1000


def batches(items: list, max_items: int, max_bytes: int = 0) -> Iterator[list]:
    """``items`` in order, in lists of at most ``max_items`` (and, when given, ``max_bytes`` of JSON)."""
    batch: list = []
    size = 0
    for item in items:
        item_size = len(json.dumps(item)) + 1 if max_bytes else 0
        if batch and (len(batch) >= max_items or (max_bytes and size + item_size > max_bytes)):
            yield batch
            batch, size = [], 0
        batch.append(item)
        size += item_size
    if batch:
        yield batch


def found_or_none(find: Callable[[list], tuple], sent: list) -> Any:
    """A batch's recheck: what a lost request made and what is left to send, or None (nothing made: send again)."""
    found, rest = find(sent)
    return {"items": found, "left": rest} if found else None


def too_large(exc: ApiError) -> bool:
    return exc.status == 400 and "buffer" in (exc.message or "").lower()


class AccessWriter:
    """Carries out an AccessPlan's writes; ``known_ids`` are the groups that existed before the run."""

    def __init__(self, client: Any, known_ids: set) -> None:
        self.client = client
        self.known_ids = set(known_ids)
        #: What this run made and deleted (name -> object; ids), for the result and for a failure's ``partial``.
        self.created_groups: dict = {}
        self.created_categories: dict = {}
        self.deleted_group_ids: list = []
        self.deleted_category_ids: list = []
        #: The identical copies of its groups that runs racing this one made, and what became of them.
        self.copies: list = []

    def apply(self, plan: Any, before_groups: Optional[Callable[[], None]] = None) -> None:
        """The writes; ``before_groups`` runs between the categories and the groups (the groups may name a category
        the run has just made)."""
        for names in batches(plan.category_creates, CATEGORY_BATCH):
            self.create_categories(names)
        if before_groups is not None:
            before_groups()
        payloads = [new.payload for new in plan.group_creates]
        for batch in batches(payloads, GROUP_BATCH_ITEMS, GROUP_BATCH_BYTES):
            self.create_groups(batch)
        if payloads:
            self.settle_copies(payloads)
        for ids in batches(plan.group_deletes, GROUP_BATCH_ITEMS):
            delete_groups(self.client, ids)
            self.deleted_group_ids.extend(ids)
        for ids in batches(plan.category_deletes, CATEGORY_BATCH):
            delete_read_ids(self.client, "securitycategories/delete", ids)
            self.deleted_category_ids.extend(ids)

    def partial(self) -> dict:
        """What was already done when a write failed for good."""
        done: dict = {}
        if self.created_categories:
            done["created_security_categories"] = sorted(self.created_categories)
        if self.created_groups:
            done["created_groups"] = {name: group.get("id") for name, group in self.created_groups.items()}
        if self.deleted_group_ids:
            done["deleted_group_ids"] = list(self.deleted_group_ids)
        if self.deleted_category_ids:
            done["deleted_security_category_ids"] = list(self.deleted_category_ids)
        if self.copies:
            done["copies_resolved"] = list(self.copies)
        return done

    # -- groups ----------------------------------------------------------------------------
    def create_groups(self, payloads: list) -> None:
        """One ``POST /groups`` for ``payloads`` (names are unique in a model); after a lost answer, only the groups
        not found in the list are sent again."""
        left = list(payloads)
        while left:
            sent = left

            try:
                recheck = partial(found_or_none, self.find_created, sent)
                body = self.client.post("groups", {"items": sent}, policy=RECHECK, recheck=recheck)
            except ApiError as exc:
                if too_large(exc) and len(sent) > 1:
                    half = len(sent) // 2
                    self.create_groups(sent[:half])
                    self.create_groups(sent[half:])
                    return
                explain_slot_limit(exc)
                raise
            self.record_groups(body.get("items") if isinstance(body, dict) else None)
            left = body.get("left") or [] if isinstance(body, dict) else []

    def settle_copies(self, payloads: list) -> None:
        """One read of the groups after the creates: for each group the run created, the identical copy every racer
        keeps becomes the run's (``created_groups``), and the other copies are deleted (duplicates.py)."""
        groups = list_groups(self.client)
        extra: list = []
        for payload in payloads:
            created = self.created_groups.get(payload["name"])
            if created is None:
                continue
            kept, copies = settle(groups, created, payload)
            self.created_groups[payload["name"]] = kept
            if copies:
                self.copies.append(copies_row(payload["name"], kept, copies))
                extra.extend(copies)
        for ids in batches(extra, GROUP_BATCH_ITEMS):
            delete_groups(self.client, ids)
            self.deleted_group_ids.extend(ids)

    def record_groups(self, items: Any) -> None:
        if not isinstance(items, list):
            raise ApiError("unexpected response to POST groups: expected the created groups in 'items'")
        for group in items:
            if isinstance(group, dict) and "id" in group:
                self.created_groups[group.get("name")] = group
                self.known_ids.add(group["id"])

    def find_created(self, payloads: list) -> tuple:
        """The groups of ``payloads`` that a lost request made (new ids that match), and the payloads still to send."""
        fresh = [group for group in list_groups(self.client) if group["id"] not in self.known_ids]
        found, rest = [], []
        for payload in payloads:
            match = next((g for g in fresh if g.get("name") == payload["name"] and same_group(g, payload)), None)
            if match is None:
                rest.append(payload)
            else:
                fresh.remove(match)
                found.append(match)
        return found, rest

    # -- security categories ---------------------------------------------------------------
    def create_categories(self, names: list) -> None:
        """One ``POST /securitycategories``; after a lost answer or a 409 (another run made one of them first), the
        categories found by name are done and the rest is sent again."""
        left = list(names)
        while left:
            sent = left

            try:
                body = self.client.post(
                    "securitycategories",
                    {"items": [{"name": name} for name in sent]},
                    policy=RECHECK,
                    recheck=partial(found_or_none, self.find_categories, sent),
                )
            except ApiError as exc:
                if exc.status != 409:
                    raise
                found, rest = self.find_categories(sent)
                if not found:
                    raise
                body = {"items": found, "left": rest}
            for category in body.get("items") or []:
                if isinstance(category, dict) and "id" in category:
                    self.created_categories[category.get("name")] = category
            left = body.get("left") or []

    def find_categories(self, names: list) -> tuple:
        existing = {category.get("name"): category for category in list_categories(self.client)}
        return [existing[name] for name in names if name in existing], [name for name in names if name not in existing]
