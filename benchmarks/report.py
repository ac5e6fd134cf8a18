"""Render benchmarks/results.md from the figures bench.py measured (also: python benchmarks/report.py results.json)."""

from __future__ import annotations

import json
import sys

import report_soak
from report_access import sections_md, summary_rows

PER_TASK_GOAL = 1.3
MODULE_GOAL = 0.25  # a no-op task of every module in the worker, per task net of start-up, against ping's
SCALE_GOAL = 12.0  # 10x the items, and some room for noise; before the fix the loop grew 13.6x (create), 20.7x (no-op)
VARIANT_NAMES = {
    "ping": "50 x `ansible.builtin.ping` (Ansible's floor)",
    "group": "50 x `dataops.iam.group`, no-op (default: in the worker)",
    "group_token_once": "`dataops.iam.cdf_token` + 50 x `dataops.iam.group`, no-op",
    "group_module_process": "50 x `dataops.iam.group`, no-op, as module processes",
    "empty": "empty play (ansible-playbook start-up)",
}


def s(value: float, digits: int = 2) -> str:
    return f"{value:.{digits}f}"


def med(stats: dict, digits: int = 2, unit: str = "") -> str:
    """median (min-max)"""
    return f"{s(stats['median'], digits)}{unit} ({s(stats['min'], digits)}-{s(stats['max'], digits)})"


def ms(stats: dict) -> str:
    return f"{stats['median'] * 1e3:.0f} ms ({stats['min'] * 1e3:.0f}-{stats['max'] * 1e3:.0f})"


def met(ok: bool) -> str:
    return "met" if ok else "**not met**"


def render(data: dict) -> str:
    sections = data["sections"]
    lines = [
        "# dataops.iam benchmarks",
        "",
        "Written by `make bench` (`benchmarks/bench.py`; how and why: [README.md](README.md)). Do not edit by hand:",
        "run `make bench` again. Benchmarks, not tests: no figure fails a run.",
        "",
        "- Command: `{}`{}, started {}, took {:.0f} s (budget {:.0f} s; up to {} rounds per timed section).".format(
            data["command"], " (by `make bench`)" if data.get("via_make") else "", data["started"], data["seconds"],
            data.get("budget", 0), data.get("rounds_asked", "?")
        ),
        "- Machine: {cpus} CPUs, {platform}; Python {python}, ansible-core {ansible_core}, httpx {httpx}.".format(
            **data["machine"]
        ),
        "- Load average (1, 5, 15 min) before: {}, after: {} (other work ran on the machine meanwhile).".format(
            ", ".join(s(x) for x in data["load_before"]), ", ".join(s(x) for x in data["load_after"])
        ),
        *earlier_runs(data),
        "- Timed figures are the **median of interleaved rounds (min-max)**; every playbook ran against the local",
        "  emulator (`python -m emulator`), so a request costs about a millisecond here, where a real CDF cluster and",
        "  identity provider are a network round trip away: the request counts say more about production than the times.",
        "",
    ]
    lines += summary(sections)
    if "per_task" in sections:
        lines += per_task(sections["per_task"])
    if "requests" in sections:
        lines += requests(sections["requests"], sections.get("per_task"))
    if "scale" in sections:
        lines += scale(sections["scale"])
    if "capabilities" in sections:
        lines += capabilities(sections["capabilities"])
    if "peer" in sections:
        lines += peer(sections["peer"], sections.get("scale"))
    lines += sections_md(sections)
    lines += report_soak.sections_md(sections)
    return "\n".join(lines).rstrip() + "\n"


def earlier_runs(data: dict) -> list:
    """A line per earlier run whose sections this file keeps (a run with ``--only`` measures some sections only)."""
    runs: dict = {}
    for name, section in data["sections"].items():
        measured = section.get("measured")
        if measured and measured.get("started") != data["started"]:
            runs.setdefault((measured["started"], measured["command"]), []).append(name)
    return [
        f"- {'Section' if len(names) == 1 else 'Sections'} {', '.join(names)}: kept from an earlier run (`{command}`, started {started}; its raw figures "
        "in the same results.json)."
        for (started, command), names in sorted(runs.items())
    ]


def summary(sections: dict) -> list:
    rows = []
    if "per_task" in sections:
        variants = sections["per_task"]["variants"]
        ratio = variants["group"]["ratio_wall"]
        module = variants["group_module_process"]["ratio_wall"]
        rows.append(
            f"| 1 | Per-task cost: 50 no-op `group` tasks / 50 `ping` tasks (wall time of the play) | <= {PER_TASK_GOAL} | "
            f"{med(ratio)} (as module processes: {med(module)}) | {met(ratio['median'] <= PER_TASK_GOAL)} |"
        )
        modules = sections["per_task"].get("modules")
        if modules:
            worst = max(modules, key=lambda name: modules[name]["ratio"]["median"])
            best = min(modules, key=lambda name: modules[name]["ratio"]["median"])
            ok = modules[worst]["ratio"]["median"] <= MODULE_GOAL
            rows.append(
                f"| 1b | Per-task cost of a no-op task of every module ({len(modules)}), in the worker / a `ping` task, "
                f"net of start-up | <= {MODULE_GOAL} for each | highest `{worst}` {med(modules[worst]['ratio'])}, lowest "
                f"`{best}` {med(modules[best]['ratio'])} (table in section 1) | {met(ok)} |"
            )
    if "requests" in sections:
        rows_by = {(r["kind"], r["operation"], r["auth"]): r["requests"] for r in sections["requests"]["rows"]}
        group_noop = rows_by.get(("group", "no-op", "client credentials"))
        group_noop_token = rows_by.get(("group", "no-op", "token given"))
        category = rows_by.get(("security category", "no-op", "token given"))
        user = rows_by.get(("DSS user", "no-op", "API key"))
        ok = group_noop == 2 and group_noop_token == 1 and category == 1 and user == 1
        rows.append(
            "| 2 | Requests of a no-op task: group, security category, DSS user | one read (+ a token fetch unless "
            f"`token` is given) | group {group_noop} (token given: {group_noop_token}), security category {category} "
            f"with a token, DSS user {user} | {met(ok)} |"
        )
    if "scale" in sections:
        scale_section = sections["scale"]
        sizes, growth = scale_section["sizes"], scale_section.get("growth") or {}
        small, large = sizes.get("50") or sizes.get(50), sizes.get("500") or sizes.get(500)
        if small and large and "create" in growth and "noop" in growth:
            request_growth = large["create"]["requests"] / small["create"]["requests"]
            ok = request_growth <= 10.5 and large["noop"]["requests"] <= small["noop"]["requests"]
            ok = ok and max(growth["create"]["median"], growth["noop"]["median"]) <= SCALE_GOAL
            floor = f"; an `ansible.builtin.debug` loop over the same items: {med(growth['floor'], 1)}x" if "floor" in growth else ""
            rows.append(
                "| 3 | Scale: a loop over 500 groups / over 50, time and requests | linear: time <= "
                f"{SCALE_GOAL:.0f}x (quadratic was 13.6x and 20.7x), requests <= 10x | time: create "
                f"{med(growth['create'], 1)}x, no-op {med(growth['noop'], 1)}x{floor}; requests: create "
                f"{s(request_growth, 1)}x, no-op {small['noop']['requests']} -> {large['noop']['requests']} | {met(ok)} |"
            )
    if "capabilities" in sections:
        sizes = sections["capabilities"]["sizes"]
        ratios = ", ".join(f"{int(size):,}: {s(v['ratio']['median'], 1)}x" for size, v in sizes.items())
        ok = all(v["ratio"]["median"] >= 1 for v in sizes.values())
        rows.append(
            "| 4 | Capability diff: SDK `compare_capabilities` time / `missing_capabilities` time, same answers "
            f"(asserted) | >= 1 at every size | {ratios} | {met(ok)} |"
        )
    if "peer" in sections:
        variants = sections["peer"]["variants"]
        uri, ours = variants["uri"], variants["dataops.iam.group"]
        rows.append(
            "| 5 | A peer: 50 groups with `ansible.builtin.uri` (token + list + create per group) against a "
            f"`dataops.iam.group` loop | reported | create: uri {med(uri['create']['wall'], 1, ' s')}, "
            f"{uri['create']['requests']} requests; group loop {med(ours['create']['wall'], 1, ' s')}, "
            f"{ours['create']['requests']} requests | - |"
        )
    rows += summary_rows(sections)  # access, dss_access (report_access.py)
    rows += report_soak.summary_rows(sections)  # soak (report_soak.py)
    return ["## Summary", "", "| # | Measure | Goal | Measured | Met |", "|---|---|---|---|---|", *rows, ""]


def per_task(section: dict) -> list:
    variants = section["variants"]
    lines = [
        "## 1. Per-task cost",
        "",
        f"Each play: {section['tasks']} tasks on `localhost` (`connection: local`, the controller's Python); the "
        f"`group` tasks find their {section['tasks']} groups already as they want them (no-op). "
        f"{section['rounds']} interleaved rounds. *Per task* is (play - empty play) / {section['tasks']}.",
        "",
        "| Play | Wall time, s | Per task, ms | Requests per play (token fetches) | Ratio to ping, wall | Ratio to ping, net of start-up |",
        "|---|---|---|---|---|---|",
    ]
    for name in ("ping", "group", "group_token_once", "group_module_process", "empty"):
        if name not in variants:
            continue
        v = variants[name]
        per = ms(v["per_task"]) if name != "empty" else "-"
        requests = f"{v['requests']} ({v['token_requests']})" if name.startswith("group") else "-"
        wall_ratio = med(v["ratio_wall"]) if "ratio_wall" in v else "-"
        net_ratio = med(v["ratio_net"]) if "ratio_net" in v else "-"
        lines.append(f"| {VARIANT_NAMES[name]} | {med(v['wall'])} | {per} | {requests} | {wall_ratio} | {net_ratio} |")
    group, module, ping = variants["group"], variants["group_module_process"], variants["ping"]
    lines += [
        "",
        f"- The goal (<= {PER_TASK_GOAL}x ping) is {met(group['ratio_wall']['median'] <= PER_TASK_GOAL)} by the default "
        f"path: a `group` task costs {group['per_task']['median'] * 1e3:.0f} ms against {ping['per_task']['median'] * 1e3:.0f} ms "
        f"for a ping, because it runs no module process at all. Every module of the collection has an action of its "
        "name (`plugins/action/<module>.py`: the one action code of `plugins/plugin_utils/in_worker.py` with the "
        "module's `MODULE`), which runs the module's own code in the worker Ansible already forked for the task: no "
        "AnsiballZ payload, no new interpreter, no `AnsibleModule` run. ansible-playbook imports that action, and "
        "with it the module's definition, httpx and the TLS context, once, before it forks the workers.",
        f"- As module processes (`dataops_iam_in_worker: false`, also what runs for a non-local connection, "
        f"`become` or `async`), the same play costs {med(module['ratio_wall'])}x ping: the module pays for what "
        "ping pays (interpreter, `AnsibleModule`, AnsiballZ) plus httpx and the TLS context (its CA bundle) in every "
        "task. It cannot get under the interpreter start-up that ping already costs, so the in-worker path is the "
        "default.",
        f"- A token fetched once (`dataops.iam.cdf_token` feeding `module_defaults`) makes the play "
        f"{group['requests'] - variants['group_token_once']['requests']} requests lighter "
        f"({group['requests']} -> {variants['group_token_once']['requests']}); against the local emulator a token "
        "costs about a millisecond, against a real identity provider a network round trip per task.",
        "",
    ]
    if section.get("modules"):
        lines += per_module(section)
    return lines


def per_module(section: dict) -> list:
    """A row per module: its no-op play's seconds per task net of the empty play, as a ratio to ping's."""
    modules = section["modules"]
    counts = sorted({row["tasks"] for row in modules.values()})
    lines = [
        "### A no-op task of every module",
        "",
        f"A play of {' or '.join(map(str, counts))} no-op tasks of each module (the `group` row is the `group` play "
        "above), in the same interleaved rounds: a managing module finds its object as it wants it (made through the "
        "API before the round, or the emulator's seed), the others read. *Ratio to ping* is the module's per-task "
        "time net of the empty play over ping's, within each round; the goal is "
        f"<= {MODULE_GOAL} for every module in the worker. The module-process rows (`dataops_iam_in_worker: false`) "
        "are for comparison.",
        "",
        "| Module | No-op task | Path | Per task, ms | Ratio to ping | Requests per task | Goal |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, row in modules.items():
        ratio = row["ratio"]["median"]
        lines.append(
            f"| `{name}` | {row['noop']} | worker | {ms(row['per_task'])} | {med(row['ratio'])} | "
            f"{row['requests_per_task']:.0f} | {met(ratio <= MODULE_GOAL)} |"
        )
    for name, row in modules.items():
        process = row.get("module_process")
        if process:
            lines.append(
                f"| `{name}` | {row['noop']} | module process | {ms(process['per_task'])} | {med(process['ratio'])} | "
                f"{process['requests_per_task']:.0f} | - |"
            )
    worst = max(modules.values(), key=lambda row: row["ratio"]["median"])["ratio"]["median"]
    lines += [
        "",
        f"- In the worker every module's no-op task costs at most {worst:.2f}x a ping task "
        f"(goal <= {MODULE_GOAL}: {met(worst <= MODULE_GOAL)}); a module process costs more than a ping whatever the "
        "module (a new interpreter, AnsiballZ, `AnsibleModule`, httpx and the TLS context, each task).",
        "- Requests per task: a token (the client credentials', or the auth API service account's) and the read that "
        "finds nothing to change (`pg_user`: the users, then the sessions of those of its client; `capabilities_check`: "
        "the token's inspection); `session` with an empty id list asks the API nothing.",
        "",
    ]
    return lines


def requests(section: dict, per_task_section: dict | None) -> list:
    lines = [
        "## 2. Requests per task",
        "",
        "Create, no-op (the same task again) and change (another capability set, the category deleted, the user",
        "renamed) as consecutive tasks of one play per authentication, from the emulator's seed state; each request of",
        "the emulator's log is put down to the task that was running when it came (benchmarks/callback_plugins).",
        "",
        "| Object | Operation | Authentication | Requests | Calls |",
        "|---|---|---|---|---|",
    ]
    for row in section["rows"]:
        calls = ", ".join(f"`{call}`" for call in row["calls"])
        lines.append(f"| {row['kind']} | {row['operation']} | {row['auth']} | {row['requests']} | {calls} |")
    lines += [
        "",
        "- A no-op is one read, plus one token request when the task fetches its own token. A group is replaced by",
        "  create-then-delete (CDF has no group update), so a change is a read and two writes.",
        "- The token-once pattern, documented in `dataops.iam.cdf_token` and docs/docsite/rst/authentication.rst:",
        "",
        "  ```yaml",
        "  module_defaults:",
        "    group/dataops.iam.cdf:",
        "      # base_url, project, token_url, client_id, client_secret as usual, and:",
        '      token: "{{ cdf_token.token | default(omit) }}"',
        "  tasks:",
        "    - name: Get a token once",
        "      dataops.iam.cdf_token:",
        "      register: cdf_token",
        "      no_log: true",
        "  ```",
        "",
        "  Every CDF task after it sends that token and fetches none (if the API ever rejects it, for example once it",
        "  expired in a long play, the task fetches a new one with the client credentials and carries on). Within one",
        "  looped task the items share one token anyway (they run in one worker).",
    ]
    if per_task_section:
        v = per_task_section["variants"]
        lines.append(
            f"- Saved in a 50-task play: {v['group']['token_requests']} token requests -> "
            f"{v['group_token_once']['token_requests']} ({v['group']['requests']} -> {v['group_token_once']['requests']} "
            f"requests); wall time {med(v['group']['wall'], 1, ' s')} -> {med(v['group_token_once']['wall'], 1, ' s')} "
            "here (one task more, and local tokens are cheap)."
        )
    return lines + [""]


def scale(section: dict) -> list:
    sizes, growth = section["sizes"], section.get("growth") or {}
    lines = [
        "## 3. Scale",
        "",
        f"One `dataops.iam.group` task with a loop over N groups (as in section 1), from nothing, then the same play again "
        f"(no-op). {section['rounds']} rounds, the two sizes interleaved.",
        "",
        "| Groups | Run | Wall time, s | Per item, ms | Requests | Token requests | Group lists | Writes |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for size, phases in sizes.items():
        for phase, label in (
            ("create", "from nothing"),
            ("noop", "re-run (no-op)"),
            ("floor", "floor: `ansible.builtin.debug` loop, same items"),
        ):
            if phase not in phases:
                continue
            p = phases[phase]
            per_item = p["wall"]["median"] / int(size) * 1e3
            counts = "| - | - | - | - |" if phase == "floor" else f"| {p['requests']} | {p['token']} | {p['lists']} | {p['writes']} |"
            lines.append(f"| {size} | {label} | {med(p['wall'])} | {per_item:.0f} {counts}")
    small, large = sizes.get("50") or sizes.get(50), sizes.get("500") or sizes.get(500)
    if small and large and "create" in growth and "noop" in growth:
        lines += [
            "",
            "Growth from 50 to 500, the ratio within each round (linear = 10x, less with the fixed cost of a play): "
            "create {}x time, {:.1f}x requests; no-op {}x time, {} -> {} requests{}.".format(
                med(growth["create"], 1),
                large["create"]["requests"] / small["create"]["requests"],
                med(growth["noop"], 1),
                small["noop"]["requests"],
                large["noop"]["requests"],
                "; Ansible's own loop (the floor rows) {}x".format(med(growth["floor"], 1)) if "floor" in growth else "",
            ),
            "",
            "- The floor rows (measured from the second round on, when the time budget leaves room) are Ansible's own",
            "  cost of a loop over the same items (`ansible.builtin.debug` templating the same arguments, printing",
            "  nothing): a no-op `group` item costs about what any loop item costs.",
            "- CDF cannot filter groups by name, so a task that lists every group once per item reads N groups N",
            "  times: quadratic in bytes. The items of a loop run in one worker, so there the group list is read once,",
            "  by the first item, and kept up to date with the loop's own creates and deletes (re-read after 60 s, or",
            "  after a failed write); each later item finds its group in that list. A loop of N groups is then one",
            "  token, one list and N writes at most. Tasks without a loop read the list each (section 2).",
        ]
    return lines + [""]


def capabilities(section: dict) -> list:
    lines = [
        "## 4. Capability diff",
        "",
        "`missing_capabilities(existing, desired)` (plugins/module_utils/cdf/capabilities.py) against cognite-sdk's",
        "`IAMAPI.compare_capabilities(existing, desired)`, on the same inputs (tests/unit/plugins/module_utils/cdf/capability_cases.py: data set",
        "ids, raw databases and tables, data model spaces, every ACL of the catalogue). The answers are asserted equal",
        "(the SDK's result dumped to dicts) before timing. CPU time (`time.process_time`, so other processes on the",
        "machine count less), interleaved helper/SDK runs on fresh copies of the inputs.",
        "",
        "| Flattened entries (existing / desired / missing) | Capabilities | Runs | Helper, ms | SDK, ms | SDK / helper |",
        "|---|---|---|---|---|---|",
    ]
    for v in section["sizes"].values():
        caps = v["capabilities"]
        lines.append(
            f"| {v['existing']:,} / {v['desired']:,} / {v['missing']:,} | {caps[0]:,} / {caps[1]:,} | {v['runs']} | "
            f"{med_ms(v['helper'])} | {med_ms(v['sdk'])} | {med(v['ratio'], 1)}x |"
        )
    return lines + [""]


def med_ms(stats: dict) -> str:
    return f"{stats['median'] * 1e3:.1f} ({stats['min'] * 1e3:.1f}-{stats['max'] * 1e3:.1f})"


def peer(section: dict, scale_section: dict | None) -> list:
    variants = section["variants"]
    lines = [
        "## 5. A peer: plain `ansible.builtin.uri`",
        "",
        f"The same {section['groups']} groups, with the playbook someone without this collection would write: a `uri` "
        "task for the token, one for the list, and a looped `uri` create for each group not in the list (with "
        "`when`). Against a `dataops.iam.group` loop over the same groups. From nothing, then again (no-op); "
        f"{section['rounds']} interleaved rounds.",
        "",
        "| Playbook | From nothing: wall, s | Requests | Re-run: wall, s | Requests |",
        "|---|---|---|---|---|",
    ]
    for name, label in (("uri", "`ansible.builtin.uri`: token, list, create per missing group"), ("dataops.iam.group", "`dataops.iam.group` loop")):
        v = variants[name]
        lines.append(
            f"| {label} | {med(v['create']['wall'])} | {v['create']['requests']} | {med(v['noop']['wall'])} | {v['noop']['requests']} |"
        )
    lines += [
        "",
        "- The `uri` playbook pays a module process per request (each create is one), so it is the slower; it",
        "  makes as few requests as possible, but it only creates missing groups by name: it does not compare",
        "  capabilities, replace a changed group, report a diff, support check mode, or notice duplicate names.",
        "",
    ]
    return lines


if __name__ == "__main__":
    print(render(json.loads(open(sys.argv[1], encoding="utf-8").read())), end="")
