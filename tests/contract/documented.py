"""The documented API answers of tests/contract/fixtures, and the tools the contract tests share.

A fixture is a JSON file: ``_source`` (where the example comes from and what was changed), ``status``,
``body``, optional ``headers``, and three lists of paths for the shape comparison with the emulator:
``_optional`` (keys that may be absent), ``_open`` (objects that may carry more keys) and ``_opaque`` (values
compared by JSON type only: maps with free keys, such as capabilities or metadata). A path is the keys from
the root joined by dots, ``[]`` standing for any element of a list: ``items[].clientId``; ``""`` is the root.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable, Optional

import httpx

from ansible_collections.dataops.iam.plugins.module_utils.auth_api.client import AuthApiClient
from ansible_collections.dataops.iam.plugins.module_utils.cdf.client import CdfClient
from ansible_collections.dataops.iam.plugins.module_utils.dss.client import DssClient
from ansible_collections.dataops.iam.plugins.module_utils.http import RetryPolicy

FIXTURES = Path(__file__).resolve().parent / "fixtures"
BASE_URL = "https://api.test"
DSS_URL = "https://dss.test:11200"


def load(name: str) -> dict:
    """The fixture ``<api>/<name>``, e.g. ``cdf/groups_list``."""
    return json.loads((FIXTURES / f"{name}.json").read_text())


def body(name: str) -> Any:
    """A fixture's documented body (a fresh copy on every call)."""
    return load(name)["body"]


def all_names() -> list[str]:
    """Every fixture, as ``<api>/<name>``."""
    return sorted(str(path.relative_to(FIXTURES).with_suffix("")) for path in FIXTURES.glob("*/*.json"))


def response(name: str) -> httpx.Response:
    """The fixture as an HTTP answer (status, headers, JSON body; no body for a 204)."""
    fixture = load(name)
    headers = fixture.get("headers", {})
    if fixture["body"] is None:
        return httpx.Response(fixture["status"], headers=headers)
    return httpx.Response(fixture["status"], headers=headers, json=fixture["body"])


Handler = Callable[[httpx.Request], httpx.Response]


def cdf_client(handler: Handler, project: str = "publicdata") -> CdfClient:
    """A CdfClient with a ready token whose requests ``handler`` answers (no retries wait)."""
    client = CdfClient(base_url=BASE_URL, project=project, token="t0k", retry=RetryPolicy(max_attempts=1, sleep=lambda _s: None))
    client._http = httpx.Client(base_url=BASE_URL, transport=httpx.MockTransport(handler))
    return client


def auth_api_client(handler: Handler) -> AuthApiClient:
    """An AuthApiClient with a ready auth-API token whose requests ``handler`` answers (no retries wait)."""
    client = AuthApiClient(auth_url=BASE_URL, token="t0k", retry=RetryPolicy(max_attempts=1, sleep=lambda _s: None))
    client._http = httpx.Client(base_url=BASE_URL, transport=httpx.MockTransport(handler))
    return client


def dss_client(handler: Handler) -> DssClient:
    """A DssClient whose requests ``handler`` answers."""
    client = DssClient(url=DSS_URL, api_key="KEY123", retry=RetryPolicy(max_attempts=1, sleep=lambda _s: None))
    real = client._http
    client._http = httpx.Client(base_url=real.base_url, auth=real.auth, headers=real.headers,
                                transport=httpx.MockTransport(handler))
    return client


def answering(routes: dict) -> tuple[Handler, list]:
    """A handler answering ``"METHOD /path"`` (path after the project, or absolute) from fixture names or
    callables, and the list of requests it saw; an unknown route fails the test loudly."""
    seen: list = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        path = request.url.path
        for prefix in ("/api/v1/projects/publicdata/", "/public/api/", "/dip/publicapi/"):
            if path.startswith(prefix):
                path = path[len(prefix):]
        answer = routes.get(f"{request.method} {path}")
        if answer is None:
            raise AssertionError(f"unexpected request {request.method} {request.url}")
        if callable(answer):
            return answer(request)
        return response(answer)

    return handler, seen


# -- shape comparison -----------------------------------------------------------------------------------
def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def shape_problems(fixture: dict, actual: Any) -> list[str]:
    """Where ``actual`` has another shape than the fixture's documented body: missing or extra keys, other
    JSON types, an empty list where the example has elements (an empty list would prove nothing)."""
    rules = {key: set(fixture.get(key, ())) for key in ("_optional", "_open", "_opaque")}
    problems: list[str] = []
    _compare(fixture["body"], actual, "", rules, problems)
    return problems


def _compare(documented: Any, actual: Any, path: str, rules: dict, problems: list) -> None:
    if json_type(documented) != json_type(actual):
        problems.append(f"{path or '(root)'}: documented {json_type(documented)}, emulator {json_type(actual)}")
        return
    if path in rules["_opaque"]:
        return
    if isinstance(documented, dict):
        _compare_objects(documented, actual, path, rules, problems)
    elif isinstance(documented, list) and documented:
        if not actual:
            problems.append(f"{path or '(root)'}: documented with elements, empty in the emulator's answer")
        for item in actual:
            problems.extend(_element_problems(documented, item, path + "[]", rules))


def _element_problems(documented: list, item: Any, path: str, rules: dict) -> list:
    """An element agrees when it has the shape of one of the documented elements; else the first one's problems."""
    found = []
    for example in documented:
        problems: list = []
        _compare(example, item, path, rules, problems)
        if not problems:
            return []
        found.append(problems)
    return found[0]


def _compare_objects(documented: dict, actual: dict, path: str, rules: dict, problems: list) -> None:
    for key, value in documented.items():
        child = _join(path, key)
        if key not in actual:
            if child not in rules["_optional"]:
                problems.append(f"{child}: documented, absent from the emulator's answer")
            continue
        if value is None or actual[key] is None and child in rules["_optional"]:
            continue
        _compare(value, actual[key], child, rules, problems)
    if path not in rules["_open"]:
        for key in sorted(set(actual) - set(documented)):
            problems.append(f"{_join(path, key)}: in the emulator's answer, not documented")


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def first(items: list, **fields: Any) -> Optional[dict]:
    """The first item whose fields have these values."""
    return next((item for item in items if all(item.get(k) == v for k, v in fields.items())), None)
