"""The fault soak's model (benchmarks/bench_soak.py): the objects of each kind round by round, the playbook that
applies them, and what the emulator's state holds of them, in the form benchmarks/soak_check.py compares."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from bench import PG_CLIENT, play

SEED = 20261202
#: Kind -> (name prefix, size of the model, deletes, changes, creates per round after the first).
KINDS = {
    "group": ("soak-g-", 40, 4, 6, 4),
    "access_group": ("soak-a-", 60, 5, 8, 5),
    "category": ("soak-c-", 24, 4, 0, 4),
    "access_category": ("soak-ac-", 10, 2, 0, 2),
    "dss_group": ("soak-dg-", 10, 1, 3, 1),
    "dss_user": ("soak-u-", 50, 5, 10, 5),
    "dss_access_group": ("soak-dt-", 4, 1, 1, 1),
    "dss_access_user": ("soak-du-", 30, 3, 6, 3),
}
REPLACED_KINDS = ("group", "access_group")  # CDF has no group update: a change is a new group, then the old deleted
DSS_GROUPS = (["readers"], ["data_team"], ["readers", "data_team"])


@dataclass
class KindModel:
    """The names of one kind: those present (name -> version), those the current round deletes, all ever used."""

    prefix: str
    size: int
    deletes: int
    changes: int
    creates: int
    present: dict = field(default_factory=dict)
    absent: list = field(default_factory=list)
    changed: set = field(default_factory=set)
    managed: set = field(default_factory=set)
    next_index: int = 0

    def new_name(self, rng: random.Random) -> str:
        gone = sorted(self.managed - set(self.present) - set(self.absent))
        if gone and rng.random() < 0.3:  # a name deleted in an earlier round, made again
            return rng.choice(gone)
        name = f"{self.prefix}{self.next_index:03d}"
        self.next_index += 1
        return name

    def step(self, rng: random.Random, first: bool) -> None:
        """The next round: ``size`` names at first; then some deleted, some changed, some new."""
        self.absent, self.changed = [], set()
        if not first:
            names = sorted(self.present)
            self.absent = rng.sample(names, min(self.deletes, len(names)))
            for name in self.absent:
                del self.present[name]
            self.changed = set(rng.sample(sorted(self.present), min(self.changes, len(self.present))))
            for name in self.changed:
                self.present[name] += 1
        for _new in range(self.size if first else self.creates):
            name = self.new_name(rng)
            self.present[name] = 0
            self.managed.add(name)


def number(name: str) -> int:
    return int(name.rsplit("-", 1)[1])


def group_spec(name: str, version: int) -> dict:
    index = number(name)
    spec = {
        "name": name,
        "metadata": {"soak": f"v{version}"},
        "capabilities": [
            {"groupsAcl": {"actions": ["LIST"], "scope": {"all": {}}}},
            {"assetsAcl": {"actions": ["READ"], "scope": {"datasetScope": {"ids": [index + 1, 1000 + version]}}}},
        ],
    }
    if index % 2 == 0:
        spec["source_id"] = f"idp-{name}"
    return spec


def dss_user_spec(name: str, version: int, groups: list) -> dict:
    return {
        "login": name,
        "password": f"Soak-Passw0rd-{number(name):03d}",
        "display_name": f"Soak user {number(name)} v{version}",
        "email": f"{name}@example.com",
        "groups": groups,
    }


class Model:
    """Every kind's names, and what a round's playbook and checks make of them."""

    def __init__(self, seed: int = SEED) -> None:
        self.rng = random.Random(seed)
        self.kinds = {kind: KindModel(*settings) for kind, settings in KINDS.items()}
        self.round = 0

    def step(self) -> None:
        self.round += 1
        for kind in self.kinds.values():
            kind.step(self.rng, self.round == 1)

    @property
    def pg_user_present(self) -> bool:
        return self.round % 2 == 1

    def team(self, name: str) -> list:
        teams = sorted(self.kinds["dss_access_group"].present)
        return [teams[number(name) % len(teams)]] if teams else []

    def items(self) -> dict:
        """The play's variables: each task's items, the deleted names as ``state: absent`` items."""
        k = self.kinds

        def absent(kind: str, key: str = "name") -> list:
            return [{key: name, "state": "absent"} for name in k[kind].absent]

        groups = [group_spec(n, v) for n, v in sorted(k["group"].present.items())] + absent("group")
        access_groups = [group_spec(n, v) for n, v in sorted(k["access_group"].present.items())] + absent("access_group")
        users = [dss_user_spec(n, v, DSS_GROUPS[(number(n) + v) % 3]) for n, v in sorted(k["dss_user"].present.items())]
        team_users = [dss_user_spec(n, v, self.team(n)) for n, v in sorted(k["dss_access_user"].present.items())]
        return {
            "soak_access_groups": access_groups,
            "soak_access_categories": sorted(k["access_category"].present) + absent("access_category"),
            "soak_groups": groups,
            "soak_categories": [{"name": n} for n in sorted(k["category"].present)] + absent("category"),
            "soak_dss_groups": [{"name": n, "description": f"Soak group {number(n)} v{v}"} for n, v in sorted(k["dss_group"].present.items())]
            + absent("dss_group"),
            "soak_dss_users": users + absent("dss_user", "login"),
            "soak_team_groups": [{"name": n, "description": f"Soak team {number(n)} v{v}"} for n, v in sorted(k["dss_access_group"].present.items())]
            + absent("dss_access_group"),
            "soak_team_users": team_users + absent("dss_access_user", "login"),
            "soak_pg_state": "present" if self.pg_user_present else "absent",
        }

    def wanted(self, flatten) -> dict:
        """``{kind: {name: fields}}`` in the form ``live`` reads them (soak_check.py)."""
        k, out = self.kinds, {}
        for kind in REPLACED_KINDS:
            out[kind] = {n: group_fields(group_spec(n, v), flatten) for n, v in k[kind].present.items()}
        for kind in ("category", "access_category"):
            out[kind] = {n: {} for n in k[kind].present}
        out["dss_group"] = {n: {"description": f"Soak group {number(n)} v{v}"} for n, v in k["dss_group"].present.items()}
        out["dss_access_group"] = {n: {"description": f"Soak team {number(n)} v{v}"} for n, v in k["dss_access_group"].present.items()}
        out["dss_user"] = {n: user_fields(dss_user_spec(n, v, DSS_GROUPS[(number(n) + v) % 3])) for n, v in k["dss_user"].present.items()}
        out["dss_access_user"] = {n: user_fields(dss_user_spec(n, v, self.team(n))) for n, v in k["dss_access_user"].present.items()}
        out["pg_user"] = {PG_CLIENT["client_id"]: {}} if self.pg_user_present else {}
        return out

    def managed(self) -> dict:
        return {kind: set(model.managed) for kind, model in self.kinds.items()} | {"pg_user": {PG_CLIENT["client_id"]}}


def group_fields(spec: dict, flatten) -> dict:
    return {
        "capabilities": flatten(spec["capabilities"]),
        "metadata": spec.get("metadata") or {},
        "sourceId": spec.get("source_id") or "",
    }


def user_fields(spec: dict) -> dict:
    return {"displayName": spec["display_name"], "email": spec["email"], "groups": sorted(spec["groups"])}


def live_objects(state: dict, project: str, flatten) -> dict:
    """Every object of the soak's names in the emulator's state, as ``{kind: [(name, fields, id)]}``."""
    cdf = state["projects"][project]
    out: dict = {kind: [] for kind in [*KINDS, "pg_user"]}
    by_prefix = sorted(((settings[0], kind) for kind, settings in KINDS.items()), reverse=True)  # soak-ac- before soak-a-

    def kind_of(name: str, kinds: tuple) -> str | None:
        return next((kind for prefix, kind in by_prefix if kind in kinds and name.startswith(prefix)), None)

    for group in cdf["groups"].values():
        kind = kind_of(group["name"], REPLACED_KINDS)
        if kind and not group.get("isDeleted"):
            out[kind].append((group["name"], group_fields({**group, "source_id": group.get("sourceId")}, flatten), group["id"]))
    for category in cdf["securityCategories"].values():
        kind = kind_of(category["name"], ("category", "access_category"))
        if kind:
            out[kind].append((category["name"], {}, category["id"]))
    for name, group in state["dss"]["groups"].items():
        kind = kind_of(name, ("dss_group", "dss_access_group"))
        if kind:
            out[kind].append((name, {"description": group.get("description")}, name))
    for login, user in state["dss"]["users"].items():
        kind = kind_of(login, ("dss_user", "dss_access_user"))
        if kind:
            fields = {"displayName": user.get("displayName"), "email": user.get("email"), "groups": sorted(user.get("groups") or [])}
            out[kind].append((login, fields, login))
    for username, user in cdf["pgUsers"].items():
        session = cdf["sessions"].get(str(user.get("sessionId"))) or {}
        if session.get("clientId") == PG_CLIENT["client_id"]:
            out["pg_user"].append((PG_CLIENT["client_id"], {}, username))
    return out


# -- the playbook ------------------------------------------------------------------------------------------------


def omit(*keys: str) -> dict:
    return {key: "{{ item.%s | default(omit) }}" % key for key in keys}


def soak_play(defaults: dict, variables: dict) -> list:
    def loop(name: str, module: str, args: dict, items: str, label: str = "name") -> dict:
        return {
            "name": name,
            f"dataops.iam.{module}": args,
            "loop": "{{ %s }}" % items,
            "loop_control": {"label": "{{ item.%s }}" % label},
            "ignore_errors": True,
        }

    tasks = [
        {
            "name": "access",
            "dataops.iam.access": {"groups": "{{ soak_access_groups }}", "security_categories": "{{ soak_access_categories }}"},
            "ignore_errors": True,
        },
        loop("groups", "group", omit("name", "capabilities", "metadata", "source_id", "state"), "soak_groups"),
        loop("categories", "security_category", omit("name", "state"), "soak_categories"),
        loop("dss groups", "dss_group", omit("name", "description", "state"), "soak_dss_groups"),
        loop("dss users", "dss_user", omit("login", "password", "display_name", "email", "groups", "state"), "soak_dss_users", "login"),
        {
            "name": "dss access",
            "dataops.iam.dss_access": {"groups": "{{ soak_team_groups }}", "users": "{{ soak_team_users }}"},
            "ignore_errors": True,
        },
        {
            "name": "pg user",
            "dataops.iam.pg_user": {"client_credentials": PG_CLIENT, "state": "{{ soak_pg_state }}"},
            "ignore_errors": True,  # no no_log: the soak classifies its failures (the output is never shown)
        },
    ]
    return play(tasks, module_defaults=defaults, play_vars=variables)
