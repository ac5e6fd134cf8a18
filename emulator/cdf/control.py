"""The CDF group switches (memory only) and their control endpoint, ``/_emulator/cdf-groups``.

* ``GET /_emulator/cdf-groups`` -> the switches; ``POST`` ``{"entraResponses": bool?, "applyDelaySeconds": number?}``
  sets them and answers the same: answers as an Entra ID cluster gives them (switching it on adds the seeded
  members group ``entra-members`` when absent), and seconds before a new group's access applies (see groups.py);
  ``limit`` is ``--group-limit``. A reset turns both switches off and keeps the limit.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from emulator.cdf.seeds import ENTRA_GROUP_NAME, PROJECT, entra_members_group
from emulator.server.control import PREFIX, loopback_only
from emulator.server.errors import bad_request
from emulator.server.store import Store
from emulator.server.web import json_body

MEMORY_KEY = "cdf.groups"
#: CDF's limit of groups per project, soft-deleted ones included (cognite-sdk's integration tests skip group
#: creation for it: "There can only be 1500 undeleted or deleted groups per project").
GROUP_LIMIT = 1500


@dataclass
class GroupSwitches:
    """How groups behave: Entra ID answers, a delay before a new group's access applies, the group limit."""

    limit: int = GROUP_LIMIT
    #: Answer as an Entra ID cluster does: members groups carry a service-populated ``sourceId``.
    entra_responses: bool = False
    #: Seconds before the access a new group grants applies (0: at once).
    apply_delay: float = 0.0
    applies_at: dict[int, float] = field(default_factory=dict)

    def applied(self, group: dict[str, Any]) -> bool:
        """Whether the access ``group`` grants has taken effect (see ``apply_delay``)."""
        return time.time() >= self.applies_at.get(group.get("id", 0), 0.0)


def _renewed(previous: GroupSwitches | None) -> GroupSwitches:
    """The switches after a reset: off, with the limit kept."""
    return GroupSwitches(limit=previous.limit if previous else GROUP_LIMIT)


def register(store: Store) -> None:
    store.register_memory(MEMORY_KEY, _renewed)


def group_switches(store: Store) -> GroupSwitches:
    return store.memory[MEMORY_KEY]


def _answer(switches: GroupSwitches) -> dict[str, Any]:
    return {
        "entraResponses": switches.entra_responses,
        "applyDelaySeconds": switches.apply_delay,
        "limit": switches.limit,
    }


def _seconds(value: Any) -> bool:
    """A number of seconds from 0 to 60 (not a boolean)."""
    return not isinstance(value, bool) and isinstance(value, (int, float)) and 0 <= value <= 60


def _seed_entra_group(store: Store) -> None:
    groups = store.state["projects"][PROJECT]["groups"]
    if not any(g["name"] == ENTRA_GROUP_NAME and not g.get("isDeleted") for g in groups.values()):
        gid = store.next_id("group")
        groups[str(gid)] = entra_members_group(gid)
        store.save()


async def cdf_groups(request: Request) -> Response:
    loopback_only(request)
    store: Store = request.app.state.store
    switches = group_switches(store)
    if request.method == "POST":
        body = await json_body(request)
        entra, delay = body.get("entraResponses"), body.get("applyDelaySeconds")
        if entra is not None and not isinstance(entra, bool):
            raise bad_request("entraResponses must be a boolean")
        if delay is not None and not _seconds(delay):
            raise bad_request("applyDelaySeconds must be a number of seconds between 0 and 60")
        if entra is not None:
            switches.entra_responses = entra
            if entra:
                _seed_entra_group(store)
        if delay is not None:
            switches.apply_delay = float(delay)
    return JSONResponse(_answer(switches))


def routes(store: Store) -> list[Route]:
    register(store)
    return [Route(PREFIX + "/cdf-groups", cdf_groups, methods=["GET", "POST"])]
