"""The URL length bound of the HTTP layer (http.MAX_URL_OCTETS): a request whose URL is too long is refused before
it is sent, with a message, so that no module meets httpx's InvalidURL ("URL too long"): the issue's 200,000-character
DSS login ended in that traceback."""

from __future__ import annotations

import httpx
import pytest

from ansible_collections.dataops.iam.plugins.module_utils.dss.client import DssClient
from ansible_collections.dataops.iam.plugins.module_utils.http import (
    MAX_URL_OCTETS,
    URL_TOO_LONG,
    ApiError,
    RetryPolicy,
)


def dss_client(sent):
    client = DssClient(url="http://dss.test:11200", api_key="k", retry=RetryPolicy(sleep=lambda _: None))
    real = client._http
    client._http = httpx.Client(
        base_url=real.base_url, transport=httpx.MockTransport(lambda r: sent.append(r) or httpx.Response(200, json={}))
    )
    real.close()
    return client


def test_a_url_past_the_bound_is_refused_before_anything_is_sent():
    """The shared safety net below the input checks: no module ever meets httpx's InvalidURL ("URL too long")."""
    sent: list = []
    client = dss_client(sent)
    with pytest.raises(ApiError) as raised:
        client.get_user("a" * 200_000)
    assert "over %d" % MAX_URL_OCTETS in str(raised.value) and "nothing was sent" in str(raised.value)
    assert raised.value.code == URL_TOO_LONG and len(str(raised.value)) < 400 and sent == []
    with pytest.raises(ApiError, match="would be"):
        client.get_user("é" * 3000)  # 3,000 characters, 18,000 octets once escaped
    assert sent == [] and client.may_have_written is False
    client.get_user("a" * 200)
    assert len(sent) == 1


def test_the_query_string_counts():
    sent: list = []
    client = dss_client(sent)
    with pytest.raises(ApiError, match="would be"):
        client.request("GET", "/admin/users/", params={"q": "x" * MAX_URL_OCTETS})
    assert sent == []
