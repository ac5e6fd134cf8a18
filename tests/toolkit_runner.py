"""cognite-toolkit (`cdf`) against the local emulator: its venv, its environment, a project folder, a bounded run.

    project = write_project(tmp_path / "tk", {"auth": {"readers.Group.yaml": {...}}})
    build(project, emulator_url)          # cdf build (offline)
    deploy(project, emulator_url)         # cdf deploy build/ against the emulator

The toolkit lives in a venv of its own, ``.tmp/toolkit-venv`` (``make toolkit``; the pin in
benchmarks/toolkit-requirements.txt), so its dependencies never mix with the collection's. Used by ``make bench``
(section access) and meant for the interop tests. Only loopback URLs are accepted, every run has a timeout, and the
toolkit's telemetry is kept off (see ``toolkit_env``).
"""

from __future__ import annotations

import csv
import ipaddress
import os
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

REPO = Path(__file__).resolve().parents[1]
TOOLKIT_VENV = REPO / ".tmp" / "toolkit-venv"
CDF = TOOLKIT_VENV / "bin" / "cdf"
#: The version of benchmarks/toolkit-requirements.txt; cdf.toml's `[modules] version` must equal the CLI's.
TOOLKIT_VERSION = "0.9.28"
ENVIRONMENT = "dev"
MODULE = "dataops_iam"
#: The emulator's seeded OAuth client with every group right (emulator/README.md).
ADMIN = ("admin", "admin-secret")
#: Where a stray request to anywhere but loopback goes: a closed loopback port (the discard port).
NOWHERE = "http://127.0.0.1:9"


class ToolkitError(RuntimeError):
    """`cdf` is missing, failed, or ran out of time."""


def available() -> bool:
    """Whether the toolkit venv is installed (``make toolkit``)."""
    return CDF.is_file()


def _loopback(url: str) -> str:
    host = urlsplit(url).hostname or ""
    try:
        is_loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        is_loopback = False
    if not is_loopback:
        raise ToolkitError(f"toolkit_runner runs `cdf` against loopback addresses only, not {url!r}")
    return url.rstrip("/")


def toolkit_env(url: str, project: str = "demo", client: tuple[str, str] = ADMIN) -> dict[str, str]:
    """The environment `cdf` needs to reach the emulator at ``url`` with client credentials.

    CDF_CLUSTER must be set even with CDF_URL (the toolkit's environment class requires it); PROVIDER=other takes
    IDP_TOKEN_URL as given. SENTRY_ENABLED=false turns its error reporting off. Its Mixpanel tracker has no opt-out
    in 0.9.28 but skips itself when PYTEST_CURRENT_TEST is set (cognite_toolkit/_cdf_tk/tracker.py, ``_track`` and
    ``_get_distinct_id``), so that is set too; and every proxy variable points at a closed loopback port, with only
    loopback exempt, so that nothing else the toolkit might call leaves the machine.
    """
    base = _loopback(url)
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(
        CDF_CLUSTER="emulator",
        CDF_URL=base,
        CDF_PROJECT=project,
        PROVIDER="other",
        LOGIN_FLOW="client_credentials",
        IDP_CLIENT_ID=client[0],
        IDP_CLIENT_SECRET=client[1],
        IDP_TOKEN_URL=f"{base}/oauth2/token",
        IDP_AUDIENCE=base,
        IDP_SCOPES=f"{base}/.default",
        SENTRY_ENABLED="false",
        PYTEST_CURRENT_TEST="dataops.iam toolkit_runner (toolkit telemetry off)",
        HTTP_PROXY=NOWHERE,
        HTTPS_PROXY=NOWHERE,
        ALL_PROXY=NOWHERE,
        http_proxy=NOWHERE,
        https_proxy=NOWHERE,
        all_proxy=NOWHERE,
        NO_PROXY="127.0.0.1,localhost,::1",
        no_proxy="127.0.0.1,localhost,::1",
        NO_COLOR="1",
        COLUMNS="200",
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def write_project(
    folder: Path, resources: dict[str, dict[str, Any]], project: str = "demo", variables: dict[str, Any] | None = None
) -> Path:
    """A toolkit organization folder: a hand-written cdf.toml (`cdf init` is interactive), config.dev.yaml and one
    module, ``modules/dataops_iam/<resource folder>/<file name>`` for each entry of ``resources`` (e.g.
    ``{"auth": {"readers.Group.yaml": {...}}}``; a file's value is dumped as YAML, a string written as it is).
    ``variables``: the values of the files' ``{{ name }}`` placeholders, in config.dev.yaml's ``variables.modules``.
    Returns ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "cdf.toml").write_text(
        "# Written by tests/toolkit_runner.py.\n"
        f'[cdf]\ndefault_env = "{ENVIRONMENT}"\n\n[modules]\nversion = "{TOOLKIT_VERSION}"\n',
        encoding="utf-8",
    )
    config = {
        "environment": {"name": ENVIRONMENT, "project": project, "validation-type": ENVIRONMENT, "selected": ["modules/"]},
        "variables": {"modules": dict(variables or {})},
    }
    (folder / f"config.{ENVIRONMENT}.yaml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    for kind, files in resources.items():
        target = folder / "modules" / MODULE / kind
        target.mkdir(parents=True, exist_ok=True)
        for name, content in files.items():
            text = content if isinstance(content, str) else yaml.safe_dump(content, sort_keys=False)
            (target / name).write_text(text, encoding="utf-8")
    return folder


def run_cdf(
    args: list[str], folder: Path, url: str, *, project: str = "demo", client: tuple[str, str] = ADMIN, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    """Run ``cdf <args>`` in ``folder`` against the emulator at ``url``; ToolkitError when it fails or times out."""
    if not available():
        raise ToolkitError(f"cognite-toolkit is not installed in {TOOLKIT_VENV}: run `make toolkit`")
    command = [str(CDF), *args]
    try:
        completed = subprocess.run(
            command,
            cwd=folder,
            env=toolkit_env(url, project, client),
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise ToolkitError(f"`cdf {' '.join(args)}` did not finish within {timeout:.0f} s") from exc
    if completed.returncode != 0:
        raise ToolkitError(
            f"`cdf {' '.join(args)}` failed (rc={completed.returncode}):\n{completed.stdout[-4000:]}\n{completed.stderr[-3000:]}"
        )
    return completed


def build(folder: Path, url: str, *, strict: bool = True, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """``cdf build``: the module's YAML into ``folder/build`` (no requests). ``strict``: ToolkitError when the build
    found errors (it exits 0 and says "Do not proceed to deploy"; they are in ``build/insights.csv``)."""
    completed = run_cdf(["build", "--config-yaml", f"config.{ENVIRONMENT}.yaml", "--build-dir", "build"], folder, url, **kwargs)
    errors = build_errors(folder)
    if strict and errors:
        raise ToolkitError(f"`cdf build` found {len(errors)} errors, e.g. {errors[:3]}")
    return completed


def build_errors(folder: Path) -> list[str]:
    """The errors of the last ``build`` in ``folder`` (``build/insights.csv``: "<code> <file>: <message>")."""
    insights = folder / "build" / "insights.csv"
    if not insights.is_file():
        return []
    with insights.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [f"{row['code']} {row['source_file']}: {row['message']}" for row in rows if row.get("insight_type") == "Error"]


def deploy(folder: Path, url: str, *, dry_run: bool = False, project: str = "demo", **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """``cdf deploy build`` (after ``build``) to ``project``; ``dry_run``: ``--dry-run``."""
    args = ["deploy", "build", "--cdf-project", project, "--log-dir", str(folder / "logs")]
    if dry_run:
        args.append("--dry-run")
    return run_cdf(args, folder, url, project=project, **kwargs)
