"""The emulator's plumbing, shared by every API area: the app factory, the store, authentication, faults, the
request and secret logs, errors, request/response helpers and the control API. It depends on no API area."""
