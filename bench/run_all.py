"""Run the four benchmarks one after the other on one database and print every figure.

    uv run python bench/run_all.py --database-url postgres://postgres@127.0.0.1:5432/dx_bench \
        --scale national

Passes `--national` to the evaluation with `--scale national`. Each script runs in its
own process, so each peak-memory figure is its own.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = ["import_bench.py", "evaluation_bench.py", "freshness_bench.py", "api_bench.py"]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    p.add_argument("--scale", default="province", choices=["tiny", "province", "national"])
    p.add_argument("--province", default="91")
    p.add_argument("--only", nargs="*", help="e.g. --only import api")
    args = p.parse_args()
    common = ["--scale", args.scale, "--province", args.province]
    if args.database_url:
        common += ["--database-url", args.database_url]
    failed = 0
    for script in SCRIPTS:
        if args.only and script.removesuffix("_bench.py") not in args.only:
            continue
        extra = (
            ["--national"] if script == "evaluation_bench.py" and args.scale == "national" else []
        )
        result = subprocess.run([sys.executable, str(HERE / script), *common, *extra])
        failed += result.returncode != 0
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
