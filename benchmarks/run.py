"""`make bench` / `make bench-quick`: run every benchmark at full or quick size, each in its own
process (each recreates its database)."""

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SIZES = {
    "full": {"registry.py": ["--persons", "1000000", "--import-rows", "100000", "--rounds", "40"],
             "policy.py": ["--households", "1000000", "--rounds", "200"],
             "outreach.py": ["--pairings", "100000", "--visits", "1000000", "--rounds", "100"],
             "benefits.py": ["--persons", "1000000", "--share", "0.3", "--rounds", "40"],
             "cases.py": ["--persons", "1000000", "--share", "0.3", "--open-cases", "100000", "--rounds", "100"],
             "matching.py": ["--persons", "1000000", "--rows", "1000000"]},
    "quick": {"registry.py": ["--persons", "20000", "--import-rows", "5000", "--rounds", "10"],
              "policy.py": ["--households", "20000", "--rounds", "50"],
              "outreach.py": ["--pairings", "2000", "--visits", "20000", "--rounds", "5"],
              "benefits.py": ["--persons", "20000", "--share", "0.3", "--rounds", "10"],
              "cases.py": ["--persons", "20000", "--share", "0.3", "--open-cases", "5000", "--rounds", "10", "--peer-sample", "100"],
              "matching.py": ["--persons", "20000", "--rows", "20000"]},
}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", choices=SIZES, default="quick")
    args = parser.parse_args()
    status = 0
    for script, script_args in SIZES[args.size].items():
        status |= subprocess.call([sys.executable, str(HERE / script), *script_args])
    return status


if __name__ == "__main__":
    sys.exit(main())
