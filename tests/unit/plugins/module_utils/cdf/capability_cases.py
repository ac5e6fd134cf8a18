"""Large capability inputs: two capability lists of about N flattened entries each, for the differential tests'
timings (test_capabilities_differential.py) and the capability benchmark (benchmarks/bench.py): data set
ids, raw databases and tables (some whole databases), data model instance spaces (WRITE and WRITE_PROPERTIES),
and any ACL of the catalogue with any of its scopes, ``all`` now and then; pools grow with N, so that the number
of capabilities grows linearly too, and ``desired`` is partly covered by ``existing`` and partly missing.
"""

from __future__ import annotations

import random

from ansible_collections.dataops.iam.plugins.module_utils.cdf.capabilities import flatten_capabilities
from ansible_collections.dataops.iam.plugins.module_utils.cdf.catalogue import ACLS

ALL_ACLS = sorted(ACLS)


def large_case(entries: int, seed: int = 7) -> tuple:
    """(existing, desired), each of at least ``entries`` flattened entries, reproducible from ``seed``."""
    rng = random.Random(seed)
    id_acls = [acl for acl in ALL_ACLS if "datasetScope" in ACLS[acl]["scopes"]]
    ids = range(1, entries // 2 + 10)
    dbs = ["db%d" % n for n in range(entries // 20 + 2)]
    tables = ["t%d" % n for n in range(20)]
    names = ["n%d" % n for n in range(entries // 4 + 10)]

    def one(index: int) -> dict:
        kind = index % 4
        if kind == 0:
            acl = rng.choice(id_acls)
            action = rng.choice(ACLS[acl]["actions"])
            return {acl: {"actions": [action], "scope": {"datasetScope": {"ids": rng.sample(ids, 10)}}}}
        if kind == 1:
            spec = {db: [] if rng.random() < 0.2 else rng.sample(tables, 4) for db in rng.sample(dbs, 2)}
            action = rng.choice(["READ", "WRITE"])
            return {"rawAcl": {"actions": [action], "scope": {"tableScope": {"dbsToTables": spec}}}}
        if kind == 2:
            action = rng.choice(["WRITE", "WRITE_PROPERTIES", "READ"])
            scope = {"spaceIdScope": {"spaceIds": rng.sample(names, 10)}}
            return {"dataModelInstancesAcl": {"actions": [action], "scope": scope}}
        acl = rng.choice(ALL_ACLS)
        scopes = sorted(ACLS[acl]["scopes"])
        scope = "all" if "all" in scopes and rng.random() < 0.1 else rng.choice(scopes)
        body: dict = {}
        for name, field_type in ACLS[acl]["scopes"][scope].items():
            if field_type == "list[int]":
                body[name] = rng.sample(ids, 10)
            elif field_type.startswith("dict["):
                body[name] = {rng.choice(dbs): rng.sample(tables, 3)}
            elif "SEARCH" in field_type:
                body[name] = ["SEARCH"]
            else:
                body[name] = rng.sample(names, 10)
        return {acl: {"actions": [rng.choice(ACLS[acl]["actions"])], "scope": {scope: body}}}

    def build() -> list:
        capabilities: list = []
        flat: set = set()
        while len(flat) < entries:
            capabilities.append(one(len(capabilities)))
            flat |= flatten_capabilities(capabilities[-1:])
        return capabilities

    return build(), build()
