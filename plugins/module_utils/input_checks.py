# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Input checks every module shares, made before any request. Internal to the collection.

* **Option types.** Ansible's ``type: str`` turns a list into its Python text (``name: [a, b]`` becomes the name
  ``"['a', 'b']"``) and ``type: list`` splits a string on commas (an LDAP DN ``cn=x,ou=groups`` becomes two
  names). ``strict_spec`` gives every ``str`` option and ``elements: str`` of an argument spec the type
  ``SINGLE_STRING``, which refuses a list or a mapping and naming the option; ``ONE_OR_LIST`` is the type of a
  list whose items may hold commas (declared ``type: raw``): one string is one item, a list is taken as it is.
  Both are callables, which an argument spec's ``type`` may be (ansible-core's argument spec validator calls
  them), and each is also a ``str`` equal to its documented type name (``str``, ``raw``): the docs and
  ansible-test's validate-modules, which compare the spec's type with the documentation, read the same type.
* **Text checks.** ``text_problem`` says why a name is empty, too long or holds a control character; ``shown``
  renders a value for a message, cut short when it is long (a 1 MB name never fills a message).
"""

from __future__ import annotations

import unicodedata
from typing import Any, Callable, Optional

from ansible.module_utils.common.validation import check_type_str

#: The collection's bound for names CDF documents no maximum for (group and security category names, a group's
#: ``source_id`` and member identifiers; DSS display names and the external group names of a DSS group): neither
#: the API reference (api-docs.cognite.com, Groups and Security categories, and the concept pages' limit tables),
#: cognite-sdk's GroupWrite nor cognite-toolkit's GroupRequest (resource_classes/group/group.py) states one. Far
#: above any real name (tens of characters), far below a request body made large by one name.
NAME_MAX_CHARS = 1000
#: DSS logins and group names go into the URL path (``/admin/users/<login>``). A login is often an e-mail
#: address, and an e-mail address is at most 254 characters (RFC 5321 section 4.5.3.1.3: a path of at most 256
#: octets, the angle brackets included); DSS documents no limit of its own.
DSS_NAME_MAX_CHARS = 255
SHOWN_MAX = 60


class OptionType(str):
    """An argument spec type that validates (a callable) and reads as its documented name (a ``str``)."""

    check: Callable[[Any], Any]
    __name__: str

    def __new__(cls, name: str, check: Callable[[Any], Any], label: str = "") -> "OptionType":
        self = super().__new__(cls, name)
        self.check = check
        self.__name__ = label or name  # what the validator's messages name ("unable to convert to str")
        return self

    def __call__(self, value: Any, **_context: Any) -> Any:
        return self.check(value)

    def __reduce__(self) -> tuple:
        return (OptionType, (str(self), self.check, self.__name__))

    def __copy__(self) -> "OptionType":
        return self

    def __deepcopy__(self, memo: dict) -> "OptionType":
        return self


def single_string(value: Any) -> str:
    """One string: a list or a mapping is refused (Ansible would write its Python text), scalars become text."""
    if isinstance(value, (list, tuple, set, dict)):
        raise TypeError(
            "a %s is not one string; give one value (a list or mapping is never turned into text)"
            % ("mapping" if isinstance(value, dict) else "list")
        )
    return check_type_str(value)


def one_or_list(value: Any) -> Optional[list]:
    """A list of strings, items taken as they are (never split on commas); one string is a list of one."""
    if value is None:
        return None
    if isinstance(value, str):
        return [value]
    if not isinstance(value, (list, tuple)):
        raise TypeError("expected one string or a list of strings, got a %s" % _kind(value))
    items = []
    for index, item in enumerate(value):
        if isinstance(item, bool) or not isinstance(item, (str, int, float)):
            raise TypeError("item %d is a %s, not a string (quote it)" % (index, _kind(item)))
        items.append(str(item))
    return items


SINGLE_STRING = OptionType("str", single_string)
ONE_OR_LIST = OptionType("raw", one_or_list, "a list of names")


def strict_spec(spec: dict) -> dict:
    """A copy of an argument spec where every ``str`` option and ``elements: str`` is ``SINGLE_STRING`` (sub-options
    too); the other types are left as they are."""
    strict = {}
    for name, option in spec.items():
        option = dict(option)
        if not isinstance(option.get("type"), OptionType) and option.get("type", "str") == "str":
            option["type"] = SINGLE_STRING
        if option.get("elements") == "str" and not isinstance(option["elements"], OptionType):
            option["elements"] = SINGLE_STRING
        if isinstance(option.get("options"), dict):
            option["options"] = strict_spec(option["options"])
        strict[name] = option
    return strict


def text_problem(option: str, value: Any, max_chars: int = NAME_MAX_CHARS, *, empty: bool = False) -> Optional[str]:
    """Why ``value`` (the value of ``option``) is not a fit name, or None: empty or blank (unless ``empty``),
    longer than ``max_chars`` characters, or holding a control character. Any other Unicode is fine."""
    if not isinstance(value, str):
        return "%s must be a string, got a %s" % (option, _kind(value))
    if not value.strip():
        return None if empty else "%s must not be empty" % option
    if len(value) > max_chars:
        return "%s is %d characters long (%s); at most %d" % (option, len(value), shown(value), max_chars)
    for index, char in enumerate(value):
        if unicodedata.category(char) in ("Cc", "Cs"):
            return "%s %s contains the control character U+%04X at position %d: names are one line of printable text" % (
                option, shown(value), ord(char), index + 1)
    return None


def shown(value: Any, limit: int = SHOWN_MAX) -> str:
    """``repr(value)``, cut after ``limit`` characters of the value, with the length said: for messages."""
    if isinstance(value, str) and len(value) > limit:
        return "%r... (%d characters)" % (value[:limit], len(value))
    return repr(value)


def _kind(value: Any) -> str:
    return {dict: "mapping", list: "list", tuple: "list", bool: "boolean"}.get(type(value), type(value).__name__)
