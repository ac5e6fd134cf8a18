#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: user_profile_info
short_description: Find CDF user profiles and their user identifiers
version_added: 0.1.0
description:
  - Returns user profiles of a Cognite Data Fusion project - the caller's own (O(me)), those with given
    O(user_identifier)s, those whose name starts with O(search), or all of them (every page).
  - A profile's C(userIdentifier) is what the O(dataops.iam.group#module:members) option of M(dataops.iam.group)
    takes. Use this module to find the identifiers of the people to put in a group.
  - CDF has deprecated user profiles in favour of its Principals API; they are still served.
  - Needs C(userProfilesAcl:READ) (every member of a group has it); O(me) needs no capability.
author:
  - dataops.iam maintainers (@dataops-iam)
extends_documentation_fragment:
  - dataops.iam.cdf
  - dataops.iam.transport
  - dataops.iam.attributes
  - dataops.iam.attributes.INFO_MODULE
attributes:
  action_group:
    membership:
      - dataops.iam.cdf
options:
  me:
    description:
      - If V(true), return the caller's own profile. A caller without a profile (service principals usually have
        none) gets an empty list and a warning.
      - Mutually exclusive with O(user_identifier) and O(search).
    type: bool
    default: false
  user_identifier:
    description:
      - Return the profiles with these user identifiers. Identifiers CDF does not know are listed in RV(not_found).
      - Mutually exclusive with O(me) and O(search).
    type: list
    elements: str
    aliases: [user_identifiers]
  search:
    description:
      - Return the profiles whose name (display name, given name or surname) starts with this text.
      - Mutually exclusive with O(me) and O(user_identifier).
    type: str
  limit:
    description:
      - Return at most this many profiles, for O(search) and for the list of all profiles.
      - If not set, every profile is listed, and a search returns up to 1000 (the most the API gives).
    type: int
seealso:
  - module: dataops.iam.group
"""

EXAMPLES = r"""
- name: Who is the caller?
  dataops.iam.user_profile_info:
    me: true
  register: me

- name: Find Alice and Bob
  dataops.iam.user_profile_info:
    search: "{{ item }}"
  loop: [Alice, Bob]
  register: people

- name: Put them in a group
  dataops.iam.group:
    name: analysts
    members: "{{ people.results | map(attribute='profiles') | flatten | map(attribute='userIdentifier') | list }}"
    capabilities:
      - assetsAcl: {actions: [READ], scope: {all: {}}}

- name: Check that identifiers still belong to someone
  dataops.iam.user_profile_info:
    user_identifier:
      - 3bX9eKkPPOQ0aO2KhN3W4g
      - 9dH1lLmQQRS1bP3LiO4X5h
  register: checked
  failed_when: checked.not_found | length > 0
"""

RETURN = r"""
profiles:
  description: The profiles found, in the API's format.
  returned: always
  type: list
  elements: dict
  contains:
    userIdentifier:
      description: The identifier a group's O(dataops.iam.group#module:members) takes.
      type: str
      sample: 3bX9eKkPPOQ0aO2KhN3W4g
    givenName:
      description: Given name.
      type: str
      sample: Alice
    surname:
      description: Surname.
      type: str
      sample: Andersen
    email:
      description: E-mail address.
      type: str
      sample: alice.andersen@example.com
    displayName:
      description: The name shown for the user.
      type: str
      sample: Alice Andersen
    jobTitle:
      description: Job title.
      type: str
      sample: Data Engineer
    identityType:
      description: V(USER), V(SERVICE_PRINCIPAL) or V(INTERNAL_SERVICE).
      type: str
      sample: USER
    lastUpdatedTime:
      description: When the profile was last updated, in milliseconds since the epoch.
      type: int
      sample: 1735689600000
not_found:
  description: The identifiers of O(user_identifier) that have no profile.
  returned: when O(user_identifier) is set
  type: list
  elements: str
  sample: [9dH1lLmQQRS1bP3LiO4X5h]
"""

from typing import Any

from ansible_collections.dataops.iam.plugins.module_utils.cdf.connection import CdfModule
from ansible_collections.dataops.iam.plugins.module_utils.cdf.profiles import (
    list_profiles,
    my_profile,
    profiles_by_ids,
    search_profiles,
)


def input_problems(params: dict) -> list:
    """What is wrong with the task's options, found before any call."""
    problems = []
    chosen = [name for name in ("me", "user_identifier", "search") if params[name] not in (None, False)]
    if len(chosen) > 1:
        problems.append("%s are mutually exclusive: set one (or none, to list every profile)" % " and ".join(chosen))
    if params["limit"] is not None and params["limit"] < 1:
        problems.append("limit must be at least 1")
    if params["me"] or params["user_identifier"] is not None:
        if params["limit"] is not None:
            problems.append("limit is for search and for the list of all profiles")
    if params["search"] is not None and not params["search"].strip():
        problems.append("search must not be empty (leave it out to list every profile)")
    if params["user_identifier"] is not None and not all(i.strip() for i in params["user_identifier"]):
        problems.append("user_identifier must not contain empty identifiers")
    return problems


def run(module: Any, client: Any) -> dict:
    params = module.params
    result: dict = {"changed": False}
    if params["me"]:
        profile = my_profile(client)
        if profile is None:
            module.warn("the caller has no user profile in project %r (service principals usually have none)"
                        % params["project"])
        result["profiles"] = [profile] if profile else []
    elif params["user_identifier"] is not None:
        result["profiles"], result["not_found"] = profiles_by_ids(client, params["user_identifier"])
    elif params["search"] is not None:
        result["profiles"] = search_profiles(client, params["search"].strip(), params["limit"])
    else:
        result["profiles"] = list_profiles(client, params["limit"])
    return result


MODULE = CdfModule(
    dict(
        me=dict(type="bool", default=False),
        user_identifier=dict(type="list", elements="str", aliases=["user_identifiers"]),
        search=dict(type="str"),
        limit=dict(type="int"),
    ),
    run,
    doing="Reading user profiles",
    problems=input_problems,
    invalid="Invalid options",
    pydantic=True,
)


def main() -> None:
    MODULE.main()


if __name__ == "__main__":
    main()
