"""Local emulator of the CDF APIs that dataops.iam uses (groups, security categories, sessions,
Postgres-gateway users, user profiles, token inspect, login sessions) plus an OAuth2 token endpoint.

Run it with ``python -m emulator``; build the app with ``emulator.app.create_app``; drive it from tests
with ``emulator.process.EmulatorProcess``. See emulator/README.md.
"""

PROJECT = "demo"
