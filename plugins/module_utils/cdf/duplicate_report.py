# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What several groups with one name are, in the words of the refusal that ``on_duplicates: fail`` gives (``group``
and ``access``). Internal to the collection.

The usual cause is a run that stopped half-way: a replacement creates the new group first and deletes the old one
second, so a run killed in between (or whose delete failed) leaves the old group and the new one, which matches
the task. The text says which of the groups match, what that usually means, and what ``on_duplicates: consolidate``
would keep and delete (the same choice ``GroupTask.apply_duplicates`` and the access plan make).
"""

from __future__ import annotations

from typing import Any, Callable, Optional

#: What groups that match next to groups that do not usually are.
INTERRUPTED = (
    "what a replacement interrupted between its create and its delete leaves (the new group made, the old one not "
    "yet deleted)"
)
COPIES = "identical copies, as runs that created the group at the same time leave them"


def _ids(ids: list) -> str:
    return ", ".join(map(str, ids))


def matching_ids(matches: list, matches_task: Callable[[dict], bool]) -> list:
    """The ids of the groups that equal what the task declares."""
    return sorted(group["id"] for group in matches if matches_task(group))


def describe(name: str, matches: list, matching: list, subject: str = "this task", explain: bool = True) -> str:
    """``2 groups are named 'x' (ids 1, 2): group 2 matches this task and 1 does not, as ...`` (the cause only with
    ``explain``: a model's refusal gives it once, see ``interrupted``)."""
    ids = sorted(group["id"] for group in matches)
    text = "%d groups are named %r (ids %s)" % (len(ids), name, _ids(ids))
    others = [group_id for group_id in ids if group_id not in matching]
    if not matching:
        return text + ": none of them matches %s" % subject
    if not others:
        return text + ": all of them match %s%s" % (subject, ", " + COPIES if explain else "")
    verb = "matches" if len(matching) == 1 else "match"
    rest = "does not" if len(others) == 1 else "do not"
    return text + ": group%s %s %s %s and %s %s%s" % (
        "" if len(matching) == 1 else "s", _ids(matching), verb, subject, _ids(others), rest,
        ", which is " + INTERRUPTED if explain else "",
    )


def interrupted(matches: list, matching: list) -> bool:
    """Whether the groups look like an interrupted replacement: some match, some do not."""
    return 0 < len(matching) < len(matches)


def consolidate_outcome(matches: list, keep: Optional[dict]) -> str:
    """What ``on_duplicates: consolidate`` does with these groups, ``keep`` being the one it keeps (None: it creates a
    new group that matches and deletes them all)."""
    ids = sorted(group["id"] for group in matches)
    if keep is None:
        return "it creates one group that matches and deletes %s" % _ids(ids)
    return "it keeps %s and deletes %s" % (keep["id"], _ids([group_id for group_id in ids if group_id != keep["id"]]))


def first_match(matches: list, matches_task: Callable[[dict], bool]) -> Any:
    """The group consolidation keeps: the first that matches, in the order the API listed them."""
    return next((group for group in matches if matches_task(group)), None)


def delete_failed(name: str, new_id: Any, old_id: Any, uncertain: bool) -> str:
    """What a replacement whose delete failed leaves, and what finishes it. ``uncertain``: the delete's answer was lost
    (it may have taken effect: the old group may be gone already)."""
    if uncertain:
        return (
            " -- the new group %s was created; the delete of the old group %s may or may not have taken effect (its "
            "answer was lost). Run the task again: with on_duplicates: consolidate if both still exist with the name "
            "%r (or delete group %s by hand)" % (new_id, old_id, name, old_id)
        )
    return (
        " -- the new group %s was created but the old group %s could not be deleted; both now exist with the name %r. "
        "Run the task again (with on_duplicates: consolidate) or delete group %s by hand" % (new_id, old_id, name, old_id)
    )
