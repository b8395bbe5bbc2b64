"""Lints every CloudFormation template of a CDK cloud assembly with cfn-lint, each against its own stack's region.

Run by tools/cfn-lint/run with the pinned cfn-lint's Python. The templates are found from the assembly's
manifest (stacks) and from the parent templates (nested stacks, named by their `aws:asset:path` metadata),
and a template in the folder that neither names is left over from an earlier synthesis (listed, not linted).
The work is spread over a few worker processes, one cfn-lint run per region: loading its rules and schemas
is a good part of its time, so each run lints all of that region's templates.

Prints every finding as `file:line:column:rule:message`, then one summary line; exits 1 on any error-level
finding (cfn-lint reports a template it cannot parse as one), 0 with warnings only.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

# Rules switched off for every template, each with the reason.
IGNORED_CHECKS = {
    # CDK writes a DependsOn beside a Ref/GetAtt to the same resource (e.g. a function on its role's policy);
    # redundant, harmless, and not ours to change.
    "W3005": "redundant DependsOn that CDK itself writes",
}
# cfn-lint's region when a stack has none (an environment-agnostic stack): its own default.
DEFAULT_REGION = "us-east-1"


def templates_of(assembly: Path) -> list[tuple[str, str]]:
    """(template file name, region) of every stack in the assembly and of every nested stack below it."""
    manifest = json.loads((assembly / "manifest.json").read_text())
    found: list[tuple[str, str]] = []
    pending: list[tuple[str, str]] = []
    for artifact in manifest.get("artifacts", {}).values():
        if artifact.get("type") != "aws:cloudformation:stack":
            continue
        region = artifact.get("environment", "").rsplit("/", 1)[-1]
        pending.append((artifact["properties"]["templateFile"], region if region.count("-") >= 2 else DEFAULT_REGION))
    while pending:
        name, region = pending.pop()
        found.append((name, region))
        resources = json.loads((assembly / name).read_text()).get("Resources", {})
        for resource in resources.values():
            path = resource.get("Metadata", {}).get("aws:asset:path", "")
            if resource.get("Type") == "AWS::CloudFormation::Stack" and path.endswith(".template.json"):
                pending.append((path, region))
    return found


def lint_region(job: tuple[str, str, list[str]]) -> list[tuple[str, int, int, str, str]]:
    """All templates of one region in one cfn-lint run: its rules and schemas load once, not once a template."""
    assembly, region, names = job
    from cfnlint.config import ConfigMixIn  # imported in the worker process
    from cfnlint.runner import Runner

    paths = [str(Path(assembly) / name) for name in names]
    config = ConfigMixIn(["--regions", region, "--ignore-checks", *IGNORED_CHECKS, "--", *paths])
    return [
        (Path(m.filename).name, m.linenumber, m.columnnumber, m.rule.id, m.message)
        for m in Runner(config).run()
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("assembly", type=Path, help="a CDK cloud assembly folder (cdk.out)")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    args = parser.parse_args()
    if not (args.assembly / "manifest.json").is_file():
        print(f"cfn-lint: {args.assembly} is not a cloud assembly (no manifest.json): synthesise first", file=sys.stderr)
        return 2
    started = time.monotonic()
    templates = templates_of(args.assembly)
    named = {name for name, _ in templates}
    stray = sorted(p.name for p in args.assembly.glob("*.template.json") if p.name not in named)
    by_region: dict[str, list[str]] = {}
    for name, region in templates:
        by_region.setdefault(region, []).append(name)
    size = lambda names: sum((args.assembly / name).stat().st_size for name in names)
    # Largest region first, so no worker is left with a big one at the end.
    jobs = sorted(((str(args.assembly), r, names) for r, names in by_region.items()), key=lambda job: -size(job[2]))
    with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        findings = sorted(f for result in pool.map(lint_region, jobs) for f in result)
    for name, line, column, rule, message in findings:
        print(f"{args.assembly / name}:{line}:{column}:{rule}:{message}")
    for name in stray:
        print(f"{args.assembly / name}: not linted: no stack of this synthesis names it (left over from an earlier one)")
    by_rule = Counter(rule for *_, rule, _ in findings)
    errors = sum(n for rule, n in by_rule.items() if rule.startswith("E"))
    warnings = sum(n for rule, n in by_rule.items() if rule.startswith("W"))
    counts = ", ".join(f"{rule} {n}" for rule, n in sorted(by_rule.items())) or "none"
    ignored = ", ".join(f"{rule} ({why})" for rule, why in IGNORED_CHECKS.items())
    print(
        f"cfn-lint: {len(templates)} templates, {errors} errors, {warnings} warnings"
        f" [{counts}] in {time.monotonic() - started:.0f} s; off: {ignored}"
    )
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
