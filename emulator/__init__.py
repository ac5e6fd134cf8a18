"""Local emulator of the CDF APIs that dataops.iam uses (groups, security categories, sessions,
Postgres-gateway users, user profiles, token inspect, login sessions) plus an OAuth2 token endpoint.

Run it with ``python -m emulator`` (or ``dataops-iam-emulator``, the wheel's console script); build the app with
``emulator.app.create_app``; drive it from tests with ``emulator.process.EmulatorProcess``. See emulator/README.md.
"""

#: The version of the wheel (pyproject.toml reads it); always galaxy.yml's version (tests/unit/test_emulator_version.py).
__version__ = "0.1.0"

PROJECT = "demo"
