"""A write whose answer was lost, then a recheck that cannot read the state (the API went away in between, as when it
restarts): the failure names the write left in doubt, not only the read that failed."""

from __future__ import annotations

import httpx
import pytest

from ansible_collections.dataops.iam.plugins.module_utils.cdf.client import parse_cdf_error
from ansible_collections.dataops.iam.plugins.module_utils.http import RECHECK, ApiError, RetryPolicy, send


def test_a_failed_recheck_names_the_write_it_was_for_and_that_it_may_have_taken_effect():
    def answer(request: httpx.Request) -> httpx.Response:
        raise httpx.RemoteProtocolError("Server disconnected without sending a response.", request=request)

    client = httpx.Client(base_url="https://api.test", transport=httpx.MockTransport(answer))
    policy = RetryPolicy(sleep=lambda _seconds: None)

    def recheck() -> None:
        raise ApiError("could not reach the API (ConnectError: refused)", method="GET", url="https://api.test/groups")

    with pytest.raises(ApiError) as caught:
        send(client, "POST", "/groups", policy=policy, error_parser=parse_cdf_error, write_policy=RECHECK, recheck=recheck)
    text = str(caught.value)
    assert text.startswith("GET https://api.test/groups: could not reach the API (ConnectError: refused)"), text
    assert "this read was to check a write whose answer was lost (POST https://api.test/groups: " in text, text
    assert "Server disconnected without sending a response" in text and "may or may not have taken effect" in text
    assert caught.value.may_have_written is True
