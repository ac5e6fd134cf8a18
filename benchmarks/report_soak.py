"""results.md's row and section for bench_soak.py's section (soak); report.py calls these."""

from __future__ import annotations

SOAK_GOAL = 5000  # requests under faults (issue 16, point 8)
ZERO = ("duplicates", "lost", "stale", "half_replaced", "blind_creates")
MODULES = "`access`, `group`, `security_category`, `dss_group`, `dss_user`, `dss_access`, `pg_user`"


def soak_met(section: dict) -> bool:
    rerun = section.get("rerun") or {}
    return (
        section["requests"] >= SOAK_GOAL
        and all(section[name] == 0 for name in ZERO)
        and rerun.get("changed") == 0
        and rerun.get("writes") == 0
    )


def summary_rows(sections: dict) -> list:
    if "soak" not in sections:
        return []
    section = sections["soak"]
    rerun = section["rerun"]
    return [
        f"| 8 | Fault soak: rounds of creates, replacements and deletes through {MODULES}, about 30% of the requests "
        f"failing (429, 5xx, lost answers after writes, resets) and 10% slowed | >= {SOAK_GOAL:,} requests; after every round 0 "
        "duplicates, 0 lost, 0 stale, 0 half-replaced; 0 creates resent blindly; a faultless re-run changed=0 with 0 writes | "
        f"{section['requests']:,} requests, {section['failed_share']:.1%} failed, {section['soak_rounds']} rounds "
        f"({section['reruns_needed']} re-runs after a clear task failure); duplicates {section['duplicates']}, lost "
        f"{section['lost']}, stale {section['stale']}, half-replaced {section['half_replaced']}, blind creates "
        f"{section['blind_creates']}; re-run changed={rerun['changed']}, {rerun['writes']} writes | "
        f"{'met' if soak_met(section) else '**not met**'} |"
    ]


def sections_md(sections: dict) -> list:
    if "soak" not in sections:
        return []
    section = sections["soak"]
    requests = section["requests"]
    lines = [
        "## 8. Fault soak",
        "",
        "Rounds of changes to one model (benchmarks/bench_soak.py, seeded): each round deletes, changes and adds objects",
        f"of every kind, writes one playbook for them ({MODULES}; the group and DSS-user tasks are loops) and",
        "applies it while the emulator fails about 30% of all requests and slows 10% more (one fault rule per kind,",
        "each with its share, on every path: the CDF API, the token endpoint and DSS). Every task has `ignore_errors`:",
        "a task may fail only with the module's message of an API error (no traceback), and the round is then run",
        "again, under faults, until no task fails. After every round the emulator's state is checked",
        "(benchmarks/soak_check.py): each wanted object exactly once and as wanted, nothing the model deleted, no",
        "old group of a replacement (CDF has no group update). Rounds go on until the request log has counted",
        f"{section['target_requests']:,} requests; then the last playbook runs again without faults. Nothing in it",
        "depends on how often the client retries.",
        "",
        f"- {requests:,} requests ({section['writes']:,} writes) in {section['soak_rounds']} rounds, "
        f"{section['attempts']} playbook runs under faults, {section['seconds_under_faults']:.0f} s.",
        f"- Failed by injection: {section['failed_requests']:,} requests ({section['failed_share']:.1%}); "
        f"{section['writes_that_took_effect_behind_an_error']} writes took effect although the client saw an error.",
        f"- Tasks (or loop items) that failed with a clear API error: {section['failed_tasks']} "
        f"({', '.join(f'{task} {count}' for task, count in sorted(section['failed_by_task'].items())) or 'none'}); "
        f"rounds run again: {section['rounds_rerun']}, re-runs in all: {section['reruns_needed']}.",
        f"- After every round ({section['checks']} checks, {section['replacements_checked']} replaced groups watched): "
        f"duplicates {section['duplicates']}, lost {section['lost']}, stale {section['stale']}, half-replaced "
        f"{section['half_replaced']}, replaced although unchanged {section['needless_replacements']}.",
        f"- Creates whose outcome was unknown sent again without a re-read: {section['blind_creates']}.",
        f"- The faultless re-run: changed={section['rerun']['changed']}, {section['rerun']['writes']} writes, "
        f"{section['rerun']['requests']} requests, {section['rerun']['seconds']} s.",
        "",
        "| Fault | Share asked | Requests hit | Share of all requests |",
        "|---|---|---|---|",
    ]
    for label, hits in section["faults"].items():
        lines.append(f"| {label} | {section['fault_shares'][label]:.0%} | {hits} | {hits / max(1, requests):.1%} |")
    lines += ["", "| API | Requests | Writes | Failed by injection |", "|---|---|---|---|"]
    for name, figures in sorted(section["by_area"].items(), key=lambda item: -item[1]["requests"]):
        lines.append(f"| {name} | {figures['requests']:,} | {figures['writes']:,} | {figures['failed']:,} |")
    lines += ["", "| Round | Runs | Requests | Seconds | Objects after it |", "|---|---|---|---|---|"]
    for row in section["rounds_detail"]:
        lines.append(f"| {row['round']} | {row['attempts']} | {row['requests']} | {row['seconds']:.0f} | {row['objects']} |")
    examples = section.get("failure_examples") or []
    if examples:
        lines += ["", "Failure messages (the first of each, shortened to 400 characters):", ""]
        lines += [f"- `{message}`" for message in examples[:4]]
    lines.append("")
    return lines
