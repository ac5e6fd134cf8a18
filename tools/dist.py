"""`make dist`: the collection tarball and the emulator's wheel, side by side in one folder (default dist/).

    python tools/dist.py [DIST] [--repository URL]

The tarball is ``ansible-galaxy collection build`` of the checkout (galaxy.yml's build_ignore decides what is in
it); ``--repository`` (``make dist REPOSITORY=https://...``) names the project's public repository in its
MANIFEST.json, which Galaxy requires and galaxy.yml leaves out (see ``set_repository``). The wheel is built
from a copy of pyproject.toml and emulator/ in a temporary folder, so setuptools leaves no build/ or *.egg-info in the
checkout. Earlier builds in DIST are removed first: DIST holds one release.
"""

from __future__ import annotations

import argparse
import io
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ANSIBLE_GALAXY = Path(sys.executable).with_name("ansible-galaxy")
#: What the wheel is built from (pyproject.toml says which files go in).
WHEEL_SOURCES = ("pyproject.toml", "emulator")


def build_collection(dist: Path) -> Path:
    subprocess.run([str(ANSIBLE_GALAXY), "collection", "build", "--force", "--output-path", str(dist), str(REPO)], check=True)
    [tarball] = dist.glob("*.tar.gz")
    return tarball


def build_wheel(dist: Path) -> Path:
    with tempfile.TemporaryDirectory(prefix="dataops-iam-wheel-") as work:
        source = Path(work) / "source"
        source.mkdir()
        for name in WHEEL_SOURCES:
            path = REPO / name
            if path.is_dir():
                shutil.copytree(path, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
            else:
                shutil.copy2(path, source / name)
        command = [sys.executable, "-m", "pip", "wheel", "--quiet", "--disable-pip-version-check", "--no-deps",
                   "--wheel-dir", str(dist), str(source)]
        subprocess.run(command, check=True)
    [wheel] = dist.glob("*.whl")
    return wheel


def manifest_repository(tarball: Path) -> str | None:
    """The ``repository`` of the tarball's MANIFEST.json (galaxy.yml's, when it has one)."""
    with tarfile.open(tarball) as archive:
        member = archive.extractfile("MANIFEST.json")
        assert member is not None
        return json.load(member)["collection_info"].get("repository")


def set_repository(tarball: Path, url: str, target: Path) -> Path:
    """Write to ``target`` a copy of ``tarball`` whose MANIFEST.json names ``url`` as the repository.

    galaxy.yml names no repository: the project's public address is not known in the checkout, and a made-up one
    would mislead users. Galaxy requires one, so a release gives it (``make dist REPOSITORY=https://...``). Only
    MANIFEST.json changes; FILES.json, which MANIFEST.json checksums, lists every other file and stays as it is.
    """
    with tarfile.open(tarball) as source, tarfile.open(target, "w:gz") as copy:
        for member in source.getmembers():
            content = source.extractfile(member) if member.isfile() else None
            if member.name == "MANIFEST.json" and content is not None:
                manifest = json.load(content)
                manifest["collection_info"]["repository"] = url
                data = json.dumps(manifest, indent=4).encode()
                member.size = len(data)
                content = io.BytesIO(data)
            copy.addfile(member, content)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dist", nargs="?", type=Path, default=REPO / "dist")
    parser.add_argument("--repository", default="", help="the project's public repository URL, written into MANIFEST.json")
    arguments = parser.parse_args()
    dist = arguments.dist
    if dist.exists():
        shutil.rmtree(dist)
    dist.mkdir(parents=True)
    tarball = build_collection(dist)
    if arguments.repository:
        unnamed = tarball.with_suffix(".unnamed")
        tarball.rename(unnamed)
        set_repository(unnamed, arguments.repository, tarball)
        unnamed.unlink()
    wheel = build_wheel(dist)
    print(f"dist: {tarball}\ndist: {wheel}")


if __name__ == "__main__":
    main()
