"""Mirror the checkout's files into a physical ``ansible_collections/<ns>/<name>`` tree for ansible-test.

ansible-test must run with its working directory physically under ``ansible_collections/``; a symlink
resolves back to the checkout, which is not. So ``make sanity`` and ``make units`` mirror the files git knows
(tracked, plus untracked files that are not ignored, so new work is checked before it is committed) into
``.tmp/ansible-test/ansible_collections/dataops/iam``.

The mirror is incremental: unchanged files (same size and modification time) are not copied again, files
that are no longer in the checkout are removed, and ``tests/output/`` (ansible-test's own results and
caches) is kept. The mirror is an empty git repository of its own (``git init``, nothing added): ansible-test
looks for version control upwards from the collection root, and would otherwise find the checkout's, whose
``.gitignore`` hides ``.tmp/``; with its own, ansible-test lists the mirror's files as untracked files.

    python tools/mirror_tree.py DEST
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
KEEP = (".git/", "tests/output/")


def source_files() -> list[str]:
    """Tracked and untracked-but-not-ignored files that exist in the work tree (no deleted ones)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        check=True,
        capture_output=True,
    ).stdout.decode()
    return sorted({path for path in listed.split("\0") if path and (REPO / path).is_file()})


def mirror(dest: Path) -> tuple[int, int]:
    """Make ``dest`` hold exactly the checkout's files; returns (copied, removed)."""
    wanted = source_files()
    wanted_set = set(wanted)
    copied = removed = 0
    for rel in wanted:
        src, dst = REPO / rel, dest / rel
        stat = src.stat()
        try:
            current = dst.lstat()
            same = not dst.is_symlink() and current.st_size == stat.st_size and current.st_mtime_ns == stat.st_mtime_ns
        except FileNotFoundError:
            same = False
        if same and (current.st_mode & 0o777) == (stat.st_mode & 0o777):
            continue
        dst.parent.mkdir(parents=True, exist_ok=True)
        if dst.is_symlink() or dst.is_dir():
            shutil.rmtree(dst) if dst.is_dir() and not dst.is_symlink() else dst.unlink()
        shutil.copy2(src, dst)
        copied += 1
    for root, dirs, files in os.walk(dest, topdown=True):
        rel_root = os.path.relpath(root, dest)
        rel_root = "" if rel_root == "." else rel_root + "/"
        dirs[:] = [d for d in dirs if not any((rel_root + d + "/").startswith(keep) for keep in KEEP)]
        for name in files:
            rel = rel_root + name
            if rel not in wanted_set:
                os.unlink(os.path.join(root, name))
                removed += 1
    for root, _dirs, _files in os.walk(dest, topdown=False):
        rel = os.path.relpath(root, dest) + "/"
        if rel != "./" and not any(rel.startswith(keep) for keep in KEEP) and not os.listdir(root):
            os.rmdir(root)
    return copied, removed


def main() -> None:
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    dest = Path(sys.argv[1]).resolve()
    if dest == REPO or REPO in dest.parents and not dest.relative_to(REPO).parts[0].startswith(".tmp"):
        raise SystemExit(f"mirror_tree: refusing to mirror into {dest}: use a folder under .tmp/")
    dest.mkdir(parents=True, exist_ok=True)
    if not (dest / ".git").is_dir():
        subprocess.run(["git", "init", "--quiet", str(dest)], check=True)
    copied, removed = mirror(dest)
    print(f"mirror_tree: {dest}: {copied} copied, {removed} removed")


if __name__ == "__main__":
    main()
