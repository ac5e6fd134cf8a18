"""`make demo`: start the emulator, provision playbooks/demo.yml twice, show that the second run changes nothing."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from emulator.process import EmulatorProcess  # noqa: E402

RECAP = re.compile(r"localhost\s*:\s*ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)")


def run_demo_playbook(url: str, label: str) -> int:
    """Run the demo playbook once; return its changed count."""
    print(f"\n=== {label}: ansible-playbook playbooks/demo.yml -e cdf_url={url}", flush=True)
    command = [str(Path(sys.executable).with_name("ansible-playbook")), "playbooks/demo.yml", "-i", "localhost,", "-e", f"cdf_url={url}"]
    env = dict(os.environ, ANSIBLE_NOCOLOR="1", ANSIBLE_RETRY_FILES_ENABLED="0")
    completed = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, check=False)
    print(completed.stdout, end="")
    if completed.returncode != 0:
        print(completed.stderr, file=sys.stderr)
        raise SystemExit(f"demo: the {label.lower()} failed (exit {completed.returncode})")
    match = RECAP.search(completed.stdout)
    if not match:
        raise SystemExit("demo: no PLAY RECAP in the output")
    return int(match.group(2))


def main() -> None:
    port = int(os.environ.get("DEMO_PORT", "4010"))
    with EmulatorProcess(port=port) as emulator:
        print(f"The local CDF/DSS emulator runs at {emulator.url} (project {emulator.project}, "
              f"OAuth2 client admin/admin-secret, token URL {emulator.url}/oauth2/token)")
        first = run_demo_playbook(emulator.url, "First run")
        second = run_demo_playbook(emulator.url, "Second run")
        writes = len(emulator.writes())
    print(f"\nFirst run: changed={first}. Second run: changed={second}. Writes seen by the emulator: {writes}.")
    if first == 0 or second != 0:
        raise SystemExit("demo: expected changes on the first run and none on the second")
    print("The second run changed nothing: the playbook is idempotent. The emulator has been stopped.")


if __name__ == "__main__":
    main()
