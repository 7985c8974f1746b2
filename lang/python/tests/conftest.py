"""Shared fixtures: the eligo binary the answers are compared with, the repository, one Spark
session for the whole run (starting one takes 10-35 s)."""

import json
import os
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]


def eligo_bin() -> str:
    found = os.environ.get("ELIGO_BIN") or str(REPO / "target" / "debug" / "eligo")
    if not Path(found).exists():
        raise RuntimeError(f"no eligo binary at {found}: build it (cargo build -p eligo-cli) or set ELIGO_BIN")
    return found


def run_eligo(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run([eligo_bin(), *args], capture_output=True, text=True, cwd=REPO)
    if check and done.returncode != 0:
        raise AssertionError(f"eligo {' '.join(args)} failed ({done.returncode}): {done.stderr}")
    return done


def loads(text: str):
    return json.loads(text, parse_float=Decimal)


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def spark():
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("eligo-pytest")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.files.maxPartitionBytes", str(8 << 20))
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
