"""`make dist`: the collection tarball and the emulator's wheel, side by side in one folder (default dist/).

    python tools/dist.py [DIST]

The tarball is ``ansible-galaxy collection build`` of the checkout (galaxy.yml's build_ignore decides what is in
it). The wheel is built from a copy of pyproject.toml and emulator/ in a temporary folder, so setuptools leaves no
build/ or *.egg-info in the checkout. Earlier builds in DIST are removed first: DIST holds one release.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
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


def main() -> None:
    dist = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "dist"
    if dist.exists():
        shutil.rmtree(dist)
    dist.mkdir(parents=True)
    tarball = build_collection(dist)
    wheel = build_wheel(dist)
    print(f"dist: {tarball}\ndist: {wheel}")


if __name__ == "__main__":
    main()
