"""Run the emulator as a subprocess: for tests, benchmarks and ``make demo``.

    with EmulatorProcess() as emu:
        token = emu.admin_token()
        ... httpx.get(f"{emu.url}/api/v1/projects/{emu.project}/groups", headers=...)
        assert emu.writes() == []

The process runs ``sys.executable -m emulator --port 0`` from the folder that holds the emulator package (the
repository root of a checkout, site-packages when the wheel is installed) and reads the port it
chose from its "listening on" line (no race for a free port). Its output goes to temporary files, never
to pipes that could fill up.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx

from emulator.auth_api.seeds import SEED_AUTH_CLIENTS
from emulator.cdf.seeds import PROJECT, SEED_CLIENTS

#: The folder that holds the emulator package: the checkout's root, or site-packages of an installed wheel. The
#: subprocess runs there, so ``-m emulator`` imports this very package either way.
PACKAGE_PARENT = Path(__file__).resolve().parent.parent
#: The older name (in a checkout it is the repository root).
REPO_ROOT = PACKAGE_PARENT
READY_LINE = re.compile(r"dataops\.iam emulator listening on (https?://\S+) \(project (\S+)\)")


class EmulatorError(RuntimeError):
    """The emulator did not start, or stopped unexpectedly."""


class EmulatorProcess:
    """A running emulator: ``url``, ``project``, the request log, reset, and tokens for the seed clients."""

    def __init__(
        self,
        state_file: str | os.PathLike[str] | None = None,
        *,
        port: int = 0,
        host: str = "127.0.0.1",
        startup_timeout: float = 20.0,
        extra_args: list[str] | None = None,
        tls: tuple[str | os.PathLike[str], str | os.PathLike[str]] | None = None,
        ca_path: str | os.PathLike[str] | None = None,
        group_limit: int | None = None,
    ) -> None:
        """``tls=(cert_file, key_file)`` serves HTTPS (``url`` is then ``https://127.0.0.1:PORT``), and then
        ``ca_path`` (the CA bundle that issued the certificate) is required: this object's own client trusts it.
        ``group_limit``: groups per project, deleted ones included (``--group-limit``; default CDF's 1,500)."""
        # absolute: the subprocess runs in PACKAGE_PARENT, and a relative path means one relative to the caller
        self.state_file = os.path.abspath(state_file) if state_file is not None else None
        self.port = port
        self.host = host
        self.startup_timeout = startup_timeout
        self.extra_args = list(extra_args or [])
        if group_limit is not None:
            self.extra_args += ["--group-limit", str(group_limit)]
        self.tls = (os.path.abspath(tls[0]), os.path.abspath(tls[1])) if tls else None
        self.ca_path = os.fspath(ca_path) if ca_path else None
        if self.tls and not self.ca_path:
            raise ValueError("EmulatorProcess(tls=...) needs ca_path: the CA that issued the certificate")
        self.url = ""
        self.project = PROJECT
        self._proc: subprocess.Popen[bytes] | None = None
        self._tmpdir: tempfile.TemporaryDirectory[str] | None = None
        self._http: httpx.Client | None = None

    # ---- lifecycle ----------------------------------------------------------------------------------

    def start(self) -> EmulatorProcess:
        if self._proc is not None:
            raise EmulatorError("the emulator is already running")
        self._tmpdir = tempfile.TemporaryDirectory(prefix="dataops-iam-emulator-")
        out_path = Path(self._tmpdir.name, "stdout.log")
        err_path = Path(self._tmpdir.name, "stderr.log")
        cmd = [sys.executable, "-m", "emulator", "--host", self.host, "--port", str(self.port)]
        if self.state_file:
            cmd += ["--state", self.state_file]
        if self.tls:
            cmd += ["--tls-cert", self.tls[0], "--tls-key", self.tls[1]]
        cmd += self.extra_args
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        with out_path.open("wb") as out, err_path.open("wb") as err:
            self._proc = subprocess.Popen(cmd, cwd=PACKAGE_PARENT, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env)
        try:
            self.url = self._wait_for_line(out_path, err_path)
            self._http = httpx.Client(base_url=self.url, timeout=10.0, verify=self._verify())
            self._wait_for_health(err_path)
        except BaseException:
            self.stop()
            raise
        return self

    def _verify(self) -> Any:
        if not self.ca_path:
            return True
        import ssl  # pylint: disable=import-outside-toplevel

        return ssl.create_default_context(cafile=self.ca_path)

    def _output(self, path: Path) -> str:
        try:
            return path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""

    def _wait_for_line(self, out_path: Path, err_path: Path) -> str:
        assert self._proc is not None
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            match = READY_LINE.search(self._output(out_path))
            if match:
                return match.group(1)
            if self._proc.poll() is not None:
                raise EmulatorError(
                    f"the emulator exited with status {self._proc.returncode} before it was ready; "
                    f"stderr:\n{self._output(err_path)}"
                )
            time.sleep(0.05)
        raise EmulatorError(
            f"the emulator was not ready within {self.startup_timeout} s; stderr:\n{self._output(err_path)}"
        )

    def _wait_for_health(self, err_path: Path) -> None:
        deadline = time.monotonic() + self.startup_timeout
        last: Exception | None = None
        while time.monotonic() < deadline:
            try:
                if self.http.get("/_emulator/health").json() == {"status": "ok"}:
                    return
            except (httpx.HTTPError, ValueError) as exc:
                last = exc
            time.sleep(0.05)
        raise EmulatorError(f"the emulator did not answer its health check ({last}); stderr:\n{self._output(err_path)}")

    def output(self) -> str:
        """What the process wrote to stdout and stderr so far ("" once stopped)."""
        if self._tmpdir is None:
            return ""
        return self._output(Path(self._tmpdir.name, "stdout.log")) + self._output(Path(self._tmpdir.name, "stderr.log"))

    def stop(self) -> None:
        """Stop the process (SIGTERM, then SIGKILL after 10 s) and remove its temporary files."""
        if self._http is not None:
            self._http.close()
            self._http = None
        if self._proc is not None:
            if self._proc.poll() is None:
                self._proc.send_signal(signal.SIGTERM)
                try:
                    self._proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self._proc.kill()
                    self._proc.wait(timeout=10)
            self._proc = None
        if self._tmpdir is not None:
            self._tmpdir.cleanup()
            self._tmpdir = None

    def kill(self) -> None:
        """Kill the process at once (SIGKILL: no shutdown, as in a crash), then clean up as ``stop`` does. With a
        state file, a new ``EmulatorProcess(state_file, port=...)`` on the same port is the emulator restarted."""
        if self._proc is not None and self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait(timeout=10)
        self.stop()

    def __enter__(self) -> EmulatorProcess:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    @property
    def http(self) -> httpx.Client:
        """An httpx client with ``base_url`` set to the emulator."""
        if self._http is None:
            raise EmulatorError("the emulator is not running")
        return self._http

    # ---- control API --------------------------------------------------------------------------------

    def requests(self, since: int = 0) -> list[dict[str, Any]]:
        """The request log (entries newer than ``since``)."""
        response = self.http.get("/_emulator/requests", params={"since": since} if since else None)
        response.raise_for_status()
        return response.json()["items"]

    def writes(self, since: int = 0) -> list[dict[str, Any]]:
        """Logged requests to endpoints that change state."""
        return [entry for entry in self.requests(since) if entry["write"]]

    def clear_log(self) -> None:
        self.http.delete("/_emulator/requests").raise_for_status()

    def reset(self) -> None:
        """Restore the seed state; clear the request log and the fault rules."""
        self.http.post("/_emulator/reset").raise_for_status()

    def state(self) -> dict[str, Any]:
        response = self.http.get("/_emulator/state")
        response.raise_for_status()
        return response.json()

    def inject(self, **rule: Any) -> dict[str, Any]:
        """Add a fault rule (see emulator/server/faults.py), e.g. ``inject(method="POST", path=..., status=503)``."""
        response = self.http.post("/_emulator/faults", json={"items": [rule]})
        response.raise_for_status()
        return response.json()["items"][0]

    def inject_all(self, rules: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Add several fault rules at once, in order (the first matching rule with hits left fires)."""
        response = self.http.post("/_emulator/faults", json={"items": rules})
        response.raise_for_status()
        return response.json()["items"]

    def secrets(self) -> list[str]:
        """Every secret the emulator seeded, received or issued (see emulator/secretlog.py)."""
        response = self.http.get("/_emulator/secrets")
        response.raise_for_status()
        return [item["value"] for item in response.json()["items"]]

    def group_switches(self, **switches: Any) -> dict[str, Any]:
        """Set (or, with none given, read) the group switches, e.g. ``group_switches(entraResponses=True)``
        (see emulator/server/control.py)."""
        if switches:
            response = self.http.post("/_emulator/cdf-groups", json=switches)
        else:
            response = self.http.get("/_emulator/cdf-groups")
        response.raise_for_status()
        return response.json()

    def set_dss_activity(self, login: str, **fields: int) -> dict[str, Any]:
        """Set a DSS user's activity, e.g. ``set_dss_activity("analyst", lastSuccessfulLogin=ms)`` (ms epoch, 0 = never;
        see emulator/dss/activity.py); the activity object as it then stands."""
        response = self.http.put("/_emulator/dss/activity", json={"login": login, **fields})
        response.raise_for_status()
        return response.json()

    def faults(self) -> list[dict[str, Any]]:
        response = self.http.get("/_emulator/faults")
        response.raise_for_status()
        return response.json()["items"]

    def clear_faults(self) -> None:
        self.http.delete("/_emulator/faults").raise_for_status()

    def release(self, rule_id: int | None = None) -> int:
        """Let the requests held by ``hold`` rules (or by the rule ``rule_id``) go on; how many there were."""
        response = self.http.post("/_emulator/faults/release", json={} if rule_id is None else {"id": rule_id})
        response.raise_for_status()
        return int(response.json()["released"])

    def wait_held(self, rule_id: int, count: int = 1, timeout: float = 60.0) -> dict[str, Any]:
        """Wait until the ``hold`` rule ``rule_id`` holds ``count`` requests (the request log lists a request only
        once it is answered); the rule as it then stands. Raises EmulatorError after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            rule = next((rule for rule in self.faults() if rule["id"] == rule_id), None)
            if rule is not None and rule.get("held", 0) >= count:
                return rule
            if time.monotonic() > deadline:
                raise EmulatorError(f"fault rule {rule_id} held no {count} request(s) within {timeout} s: {rule}")
            time.sleep(0.05)

    # ---- tokens -------------------------------------------------------------------------------------

    @property
    def token_url(self) -> str:
        return f"{self.url}/oauth2/token"

    def token(self, client_id: str, client_secret: str) -> str:
        """An access token from the emulator's token endpoint (client credentials grant)."""
        response = self.http.post(
            "/oauth2/token",
            data={"grant_type": "client_credentials", "client_id": client_id, "client_secret": client_secret},
        )
        response.raise_for_status()
        return response.json()["access_token"]

    def admin_token(self) -> str:
        return self.token("admin", SEED_CLIENTS["admin"][0])

    def reader_token(self) -> str:
        return self.token("reader", SEED_CLIENTS["reader"][0])

    def auth_api_token(self, client_id: str = "org-admin") -> str:
        """A token of the auth API's own token endpoint (a seeded auth API service account): the only kind of token
        the auth API (``/api/v1/orgs/...``) takes."""
        return self.token(client_id, SEED_AUTH_CLIENTS[client_id][0])
