"""`make bench` / `make bench-quick`: run every benchmark at full or quick size, each in its own
process (each recreates its database)."""

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SIZES = {
    "full": {"registry.py": ["--persons", "1000000", "--import-rows", "100000", "--rounds", "40"],
             "policy.py": ["--households", "1000000", "--rounds", "200"]},
    "quick": {"registry.py": ["--persons", "20000", "--import-rows", "5000", "--rounds", "10"],
              "policy.py": ["--households", "20000", "--rounds", "50"]},
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
