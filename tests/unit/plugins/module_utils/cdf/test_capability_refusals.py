"""What the catalogue knows to be wrong is refused before any call; what it does not know only warns.

Refused in the task's input (never in what the API returns): ids outside 1 to 2^53 - 1 (cognite-sdk's
MAX_VALID_INTERNAL_ID), ACL names without the ``Acl`` suffix or in the wrong case, actions and scopes of a known ACL
in the wrong case, and a scope the catalogue knows under an ACL that does not take it.
"""

from __future__ import annotations

import pytest
from cognite.client import _constants as sdk_constants
from cognite.client.utils._identifier import Identifier

from ansible_collections.dataops.iam.plugins.module_utils.cdf.capabilities import (
    CapabilityError,
    capabilities_equal,
    normalise_capabilities,
    validate_capabilities,
)
from ansible_collections.dataops.iam.plugins.module_utils.cdf.capability_validation import MAX_ID, id_problem
from ansible_collections.dataops.iam.plugins.module_utils.cdf.catalogue import ACLS

ALL = {"all": {}}


def cap(acl: str, actions: list, scope: dict) -> dict:
    return {acl: {"actions": actions, "scope": scope}}


def data_sets(*ids: object) -> dict:
    return cap("datasetsAcl", ["READ"], {"idScope": {"ids": list(ids)}})


def refusal(capabilities: list) -> str:
    with pytest.raises(CapabilityError) as caught:
        validate_capabilities(capabilities)
    return str(caught.value)


def test_max_id_is_the_sdks() -> None:
    """The same bound as the installed cognite-sdk (cognite/client/_constants.py), which refuses any other id."""
    assert MAX_ID == sdk_constants.MAX_VALID_INTERNAL_ID == 2**53 - 1
    with pytest.raises(ValueError, match="1 <= id <= 9007199254740991"):
        Identifier.of_either(MAX_ID + 1, None)


@pytest.mark.parametrize(
    "bad, shown",
    [(-5, "-5"), (0, "0"), (MAX_ID + 1, "9007199254740992"), (2**63, str(2**63)), ("0", "0"), ("9007199254740992", "9007199254740992")],
    ids=["minus-5", "zero", "2^53", "2^63", "zero-as-string", "2^53-as-string"],
)
def test_ids_out_of_range_are_refused_naming_the_acl_and_the_id(bad: object, shown: str) -> None:
    message = refusal([cap("groupsAcl", ["LIST"], ALL), data_sets(7, bad)])
    assert message == (
        "capabilities[1] (datasetsAcl): idScope.ids[1]: %s is not a CDF id (CDF ids are integers from 1 to "
        "9007199254740991, 2^53 - 1)" % shown
    )


def test_the_bounds_themselves_are_ids() -> None:
    assert validate_capabilities([data_sets(1, MAX_ID, str(MAX_ID))]) == []
    assert id_problem(1) is None and id_problem(MAX_ID) is None
    assert id_problem(0) and id_problem(MAX_ID + 1)


@pytest.mark.parametrize(
    "acl, scope",
    [
        ("assetsAcl", {"datasetScope": {"ids": [-5]}}),
        ("securityCategoriesAcl", {"idscope": {"ids": [0]}}),
        ("timeSeriesAcl", {"assetRootIdScope": {"rootIds": [MAX_ID + 1]}}),
        ("extractionRunsAcl", {"extractionPipelineScope": {"ids": [-1]}}),
        ("seismicAcl", {"partition": {"partitionIds": [0]}}),
    ],
    ids=["data-set-ids", "security-category-ids", "asset-root-ids", "extraction-pipeline-ids", "partition-ids"],
)
def test_every_id_scope_has_the_range(acl: str, scope: dict) -> None:
    ((name, body),) = scope.items()
    ((field, _values),) = body.items()
    message = refusal([cap(acl, ["READ"] if acl != "securityCategoriesAcl" else ["MEMBEROF"], scope)])
    assert message.startswith("capabilities[0] (%s): %s.%s[0]: " % (acl, name, field)) and "is not a CDF id" in message


def test_what_the_api_returns_is_never_refused_even_out_of_range() -> None:
    returned = [data_sets(0, -5, MAX_ID + 1), cap("groups", ["list"], {"datasetScope": {"ids": [1]}})]
    assert data_sets(-5, 0, MAX_ID + 1) in normalise_capabilities(returned)
    assert cap("groups", ["list"], {"datasetScope": {"ids": [1]}}) in normalise_capabilities(returned)
    assert capabilities_equal(returned, list(reversed(returned)))


@pytest.mark.parametrize(
    "acl, expected",
    [
        ("groups", "'groups' is not an ACL name: every CDF ACL name ends in 'Acl'; did you mean 'groupsAcl'?"),
        ("datasets", "'datasets' is not an ACL name: every CDF ACL name ends in 'Acl'; did you mean 'datasetsAcl'?"),
        ("timeseries", "'timeseries' is not an ACL name: every CDF ACL name ends in 'Acl'; did you mean 'timeSeriesAcl'?"),
        ("GroupsAcl", "'GroupsAcl' is not an ACL name: ACL names are case-sensitive; did you mean 'groupsAcl'?"),
        ("groupsacl", "'groupsacl' is not an ACL name: ACL names are case-sensitive; did you mean 'groupsAcl'?"),
        ("groupsACL", "'groupsACL' is not an ACL name: ACL names are case-sensitive; did you mean 'groupsAcl'?"),
        ("frobnicate", "'frobnicate' is not an ACL name: every CDF ACL name ends in 'Acl'"),
    ],
)
def test_acl_names_the_catalogue_knows_are_wrong_are_refused_with_the_right_name(acl: str, expected: str) -> None:
    assert refusal([cap(acl, ["LIST"], ALL)]) == "capabilities[0] (%s): %s" % (acl, expected)


def test_every_catalogue_acl_ends_in_acl() -> None:
    """The rule the suffix refusal rests on (and the emulator's: an unknown ACL without it is a 400)."""
    assert all(name.endswith("Acl") for name in ACLS)


def test_an_unknown_acl_with_the_suffix_still_only_warns() -> None:
    """Plausibly newer than the catalogue (CDF adds ACLs faster than any client)."""
    (warning,) = validate_capabilities([cap("videoStreamingAcl", ["SUBSCRIBE"], {"streamScope": {"streams": ["a"]}})])
    assert "ACL 'videoStreamingAcl' is not in the catalogue: kept and compared as given" in warning
    (near,) = validate_capabilities([cap("groupAcl", ["LIST"], ALL)])
    assert "did you mean 'groupsAcl'?" in near


@pytest.mark.parametrize(
    "acl, scope, expected",
    [
        ("groupsAcl", {"datasetScope": {"ids": [1]}}, "groupsAcl does not take scope 'datasetScope'; its scopes are all, currentuserscope"),
        ("datasetsAcl", {"datasetScope": {"ids": [1]}}, "datasetsAcl does not take scope 'datasetScope'; its scopes are all, idScope"),
        ("assetsAcl", {"tableScope": {"dbsToTables": {"db": {}}}}, "assetsAcl does not take scope 'tableScope'"),
        ("rawAcl", {"currentuserscope": {}}, "rawAcl does not take scope 'currentuserscope'; its scopes are all, tableScope"),
        (
            "securityCategoriesAcl",
            {"idScope": {"ids": [1]}},
            "scope 'idScope' is not one of securityCategoriesAcl's scopes (all, idscope); scope names are "
            "case-sensitive: did you mean 'idscope'?",
        ),
        ("assetsAcl", {"datasetscope": {"ids": [1]}}, "scope names are case-sensitive: did you mean 'datasetScope'?"),
        ("groupsAcl", {"All": {}}, "scope names are case-sensitive: did you mean 'all'?"),
    ],
)
def test_scopes_the_acl_does_not_take_are_refused(acl: str, scope: dict, expected: str) -> None:
    actions = ["MEMBEROF"] if acl == "securityCategoriesAcl" else ["READ"]
    message = refusal([cap(acl, actions, scope)])
    assert message.startswith("capabilities[0] (%s): " % acl) and expected in message, message


def test_an_unknown_scope_name_of_a_known_acl_still_only_warns() -> None:
    """toolkit PR #2834: agentExternalIdScope reached agentsAcl before the SDK knew it."""
    (warning,) = validate_capabilities([cap("agentsAcl", ["READ"], {"agentExternalIdScope": {"externalIds": ["x"]}})])
    assert "scope 'agentExternalIdScope' is not known for agentsAcl (known: all): kept and compared as given" in warning


def test_a_wrong_case_action_is_refused_and_an_unknown_one_warns() -> None:
    message = refusal([cap("datasetsAcl", ["read"], ALL)])
    assert message == (
        "capabilities[0] (datasetsAcl): 'read' is not an action of datasetsAcl (READ, WRITE, OWNER); action names are "
        "upper case: did you mean 'READ'?"
    )
    (warning,) = validate_capabilities([cap("datasetsAcl", ["READ", "ARCHIVE"], ALL)])
    assert "action 'ARCHIVE' is not known for datasetsAcl" in warning


def test_the_first_refusal_stops_before_later_warnings() -> None:
    """One message, naming the capability by position: the task fails before any call."""
    message = refusal([cap("slowAcl", ["READ"], ALL), cap("groups", ["LIST"], ALL)])
    assert message.startswith("capabilities[1] (groups): ")


@pytest.mark.parametrize("bad", [-5, 0, MAX_ID + 1])
def test_session_ids_have_the_same_range(bad: int) -> None:
    """Session ids are CDF ids too (cognite-sdk's sessions.revoke and retrieve load them with IdentifierSequence)."""
    from ansible_collections.dataops.iam.plugins.modules import session, session_info
    from ansible_collections.dataops.iam.tests.unit.fake_module import make_module

    revoke = make_module(session.MODULE, {"state": "absent", "id": [4503599627370497, bad]}).params
    assert session.input_problems(revoke) == [
        "id %d is not a session id (CDF ids are integers from 1 to 9007199254740991, 2^53 - 1)" % bad]
    read = make_module(session_info.MODULE, {"ids": [bad, MAX_ID]}).params
    assert session_info.input_problems(read) == [
        "ids: %d is not a session id (CDF ids are integers from 1 to 9007199254740991, 2^53 - 1)" % bad]
