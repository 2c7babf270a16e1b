#!/usr/bin/env python3
"""Fails when a module of the core crate depends on a module of a higher layer (a dependency that
runs back up the layers), or when two top-level modules depend on each other.

The layers, bottom to top (a module may use its own layer's modules, when the pair does not form a
cycle, and any lower layer's):

0. foundations: error, names, serde_float, hash, random, parallel, scale
1. counts, response (the response record: answers on scales, touchpoints, timestamps)
2. interval (distributions, interval methods, resampling intervals)
3. estimate, indicator
4. compare
5. grouping, monitor, outcome, trend, coverage, shrink
6. alert (uses trends and control charts), read, text, drivers (beside the statistics: they use
   the layers below, and nothing below uses them)

A dependency is any `crate::<module>` path in a module's files (use declarations, paths in code and
in doc links are all counted; doc-comment lines are skipped). Run: python3 scripts/layers.py [src-dir]
"""
import pathlib
import re
import sys

LAYERS = [
    ["error", "names", "serde_float", "hash", "random", "parallel", "scale"],
    ["counts", "response"],
    ["interval"],
    ["estimate", "indicator"],
    ["compare"],
    ["grouping", "monitor", "outcome", "trend", "coverage", "shrink"],
    ["alert", "read", "text", "drivers"],
]
LAYER = {m: i for i, ms in enumerate(LAYERS) for m in ms}
SRC = pathlib.Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else pathlib.Path(__file__).resolve().parent.parent / "src"


def module_of(path: pathlib.Path) -> str | None:
    rel = path.relative_to(SRC)
    if rel.parts == ("lib.rs",):
        return None
    return rel.parts[0].removesuffix(".rs")


def dependencies() -> dict[str, dict[str, list[str]]]:
    deps: dict[str, dict[str, list[str]]] = {}
    for path in sorted(SRC.rglob("*.rs")):
        module = module_of(path)
        if module is None:
            continue
        in_tests = False
        for number, line in enumerate(path.read_text().splitlines(), 1):
            stripped = line.strip()
            if stripped.startswith("#[cfg(test)]"):
                in_tests = True  # unit tests may use anything (they are not part of the library)
            if in_tests or stripped.startswith(("//", "///", "//!")):
                continue
            for target in re.findall(r"\bcrate::([a-z_]+)", line):
                if target != module:
                    deps.setdefault(module, {}).setdefault(target, []).append(f"{path.relative_to(SRC.parent)}:{number}")
            # `use super::...` never leaves the module; `crate::Foo` re-exports at the root are resolved
            # by name below.
            for name in re.findall(r"\bcrate::([A-Z][A-Za-z]+)", line):
                deps.setdefault(module, {}).setdefault(f"root:{name}", []).append(f"{path.relative_to(SRC.parent)}:{number}")
    return deps


def main() -> int:
    deps = dependencies()
    problems = []
    unknown = sorted({m for m in deps} - set(LAYER))
    if unknown:
        problems.append(f"modules without a layer (add them to scripts/layers.py): {unknown}")
    for module, targets in sorted(deps.items()):
        for target, sites in sorted(targets.items()):
            if target.startswith("root:"):
                problems.append(f"{module} uses the root re-export crate::{target[5:]} ({sites[0]}); name the module")
                continue
            if target not in LAYER:
                continue
            if LAYER[target] > LAYER.get(module, -1):
                problems.append(
                    f"{module} (layer {LAYER.get(module)}) depends on {target} (layer {LAYER[target]}), "
                    f"a higher layer: {', '.join(sites[:3])}"
                )
            elif module in deps.get(target, {}):
                problems.append(f"{module} and {target} depend on each other: {sites[0]}, {deps[target][module][0]}")
    for p in problems:
        print("layering:", p)
    if not problems:
        n = sum(len(t) for t in deps.values())
        print(f"layering: {len(deps)} modules, {n} module dependencies, none runs back up the layers")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
