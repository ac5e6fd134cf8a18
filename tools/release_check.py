"""The versions of a release agree: galaxy.yml, the emulator's package, the tarball the execution environment
installs (execution-environment.yml), and the names of what `make dist` built.

    python tools/release_check.py dist/ [--release]

A release publishes the collection tarball and the emulator's wheel together (see tools/dist.py); both must carry
galaxy.yml's version. With ``--release`` (``make release-check RELEASE=1``, when cutting one), that version must also
not be one the changelog already released while fragments wait (changelogs/changelog.yaml); between releases (every
`make test`) that is the normal state, and it is only reported.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]


def problems(dist: Path, release: bool) -> tuple[list[str], str]:
    galaxy = yaml.safe_load((REPO / "galaxy.yml").read_text())
    version = str(galaxy["version"])
    found = []
    match = re.search(r'^__version__ = "([^"]+)"', (REPO / "emulator" / "__init__.py").read_text(), re.MULTILINE)
    if not match or match.group(1) != version:
        found.append(f"emulator/__init__.py __version__ is {match.group(1) if match else None!r}, galaxy.yml says {version!r}")
    tarball = f"{galaxy['namespace']}-{galaxy['name']}-{version}.tar.gz"
    environment = yaml.safe_load((REPO / "execution-environment.yml").read_text())
    installed = [entry.get("name") for entry in environment["dependencies"]["galaxy"]["collections"]]
    if f"collections/{tarball}" not in installed:
        found.append(f"execution-environment.yml installs {installed}, not collections/{tarball} (galaxy.yml's version)")
    for pattern in (tarball, f"dataops_iam_emulator-{version}-py3-none-any.whl"):
        if not (dist / pattern).is_file():
            found.append(f"{dist}/{pattern} is missing (built: {sorted(p.name for p in dist.glob('*'))})")
    changelog = yaml.safe_load((REPO / "changelogs" / "changelog.yaml").read_text()) or {}
    released = {str(release) for release in (changelog.get("releases") or {})}
    fragments = list((REPO / "changelogs" / "fragments").glob("*.yml"))
    note = ""
    if version in released and fragments:
        note = (f"version {version} is already released in changelogs/changelog.yaml, and {len(fragments)} fragments "
                "are waiting: before a release, raise galaxy.yml's version (and emulator.__version__), then `make changelog`")
        if release:
            found.append(note)
    return found, note


def main() -> None:
    arguments = [argument for argument in sys.argv[1:] if argument != "--release"]
    dist = Path(arguments[0]) if arguments else REPO / "dist"
    found, note = problems(dist, "--release" in sys.argv[1:])
    if found:
        raise SystemExit("release-check:\n  " + "\n  ".join(found))
    version = yaml.safe_load((REPO / "galaxy.yml").read_text())["version"]
    print(f"release-check: galaxy.yml, the emulator, execution-environment.yml and dist/ agree on version {version}" + (f" (note: {note})" if note else ""))


if __name__ == "__main__":
    main()
