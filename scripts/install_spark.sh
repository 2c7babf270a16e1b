#!/usr/bin/env bash
# Installs what tests/python/test_spark.py needs: a Java runtime (headless JDK from apt-get, only if
# `java` is missing) and pyspark from PyPI into the active Python environment. Idempotent: a second
# run finds java and the installed pyspark and changes nothing. Called from scripts/test.sh after the
# .venv is activated; needs root (or sudo) for apt-get when Java is absent.
set -euo pipefail

PYTHON=${PYTHON_BIN:-python}

if ! command -v java >/dev/null 2>&1; then
    echo "== java not found: installing a headless JDK (apt-get)"
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "install_spark.sh: java is missing and apt-get is not available; install a JDK 17+" >&2
        exit 1
    fi
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then
        SUDO="sudo -n"
    fi
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq </dev/null
    # default-jre-headless is Java 17 on Debian 12; fall back to the versioned package elsewhere.
    $SUDO apt-get install -y -qq --no-install-recommends default-jre-headless </dev/null \
        || $SUDO apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless </dev/null
fi
java -version 2>&1 | head -n 1

if "$PYTHON" -c 'import sys, pyspark; v = tuple(int(p) for p in pyspark.__version__.split(".")[:2]); sys.exit(v < (3, 5))' 2>/dev/null; then
    echo "== pyspark $("$PYTHON" -c 'import pyspark; print(pyspark.__version__)') already installed"
else
    echo "== pip install pyspark"
    "$PYTHON" -m pip install --quiet --disable-pip-version-check "pyspark>=3.5" </dev/null
fi
