"""What the items of a loop share: in the worker (the default), one token for all the items of a loop of any CDF or
auth API module; as module processes, one token per item. getting_started.rst ("Two things differ") says so."""

from __future__ import annotations

import pytest

from emulator.auth_api.seeds import ORG, SEED_AUTH_CLIENTS
from runner import EXECUTION

pytestmark = pytest.mark.both_paths

ITEMS = 3
CDF_LOOPS = {
    "security_category": [{"name": "loop-token-%d" % i} for i in range(ITEMS)],
    "group": [{"name": "loop-token-%d" % i, "capabilities": [{"groupsAcl": {"actions": ["LIST"], "scope": {"all": {}}}}]}
              for i in range(ITEMS)],
    "group_info": [{"name": "loop-token-%d" % i} for i in range(ITEMS)],
    "token_info": [{} for _item in range(ITEMS)],
    "session_info": [{} for _item in range(ITEMS)],
}


def token_requests(emulator) -> int:
    return len([e for e in emulator.requests() if e["method"] == "POST" and e["path"].endswith("/token")])


@pytest.mark.parametrize("module", sorted(CDF_LOOPS))
def test_a_loop_of_a_cdf_module_fetches_one_token_in_the_worker(run, clean_emulator, module):
    clean_emulator.clear_log()
    run([{"name": "loop", "dataops.iam." + module: "{{ item }}", "loop": CDF_LOOPS[module]}]).ok()
    assert token_requests(clean_emulator) == (1 if EXECUTION == "worker" else ITEMS)


def test_a_loop_of_an_auth_api_module_fetches_one_token_in_the_worker(run, clean_emulator):
    defaults = {"group/dataops.iam.auth_api": {"auth_url": clean_emulator.url, "org": ORG, "auth_client_id": "org-admin"}}
    clean_emulator.clear_log()
    run([{"name": "loop", "dataops.iam.principal_info": {"types": ["USER"]}, "loop": list(range(ITEMS))}],
        module_defaults=defaults, env={"COGNITE_AUTH_CLIENT_SECRET": SEED_AUTH_CLIENTS["org-admin"][0]}).ok()
    assert token_requests(clean_emulator) == (1 if EXECUTION == "worker" else ITEMS)
