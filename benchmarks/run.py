"""`make bench` / `make bench-quick`: run every benchmark at full or quick size, each in its own
process (each recreates its database).

Full size runs them one after another, so that no figure is measured beside another benchmark.
Quick size is a check that every benchmark still runs and roughly where it stands: most of each
script's time there is creating and migrating its database, so `--jobs 2` (the default for quick)
runs two at a time on this 2-core machine, and the output of each is printed whole when it ends."""

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
             "matching.py": ["--persons", "1000000", "--rows", "1000000", "--damage-rows", "200000"],
             "load.py": ["--users", "50", "--seconds", "60", "--households", "3000"],
             "spreadsheets.py": ["--rows", "200000", "--cols", "20"],
             "payments.py": ["--benefits", "300000"],
             "bankfiles.py": ["--size", "full"],
             "reports.py": ["--persons", "1000000", "--counties", "5", "--no-peer"]},
    # quick: the longest first, so that two at a time finish together
    "quick": {"policy.py": ["--households", "20000", "--rounds", "50"],
              "registry.py": ["--persons", "20000", "--import-rows", "5000", "--rounds", "10"],
              "matching.py": ["--persons", "20000", "--rows", "20000", "--damage-rows", "20000", "--splink-rows", "5000"],
              "cases.py": ["--persons", "20000", "--share", "0.3", "--open-cases", "5000", "--rounds", "10", "--peer-sample", "100"],
              "benefits.py": ["--persons", "20000", "--share", "0.3", "--rounds", "10"],
              "outreach.py": ["--pairings", "2000", "--visits", "20000", "--rounds", "5"],
              "load.py": ["--users", "10", "--seconds", "10", "--households", "300"],
              "spreadsheets.py": ["--rows", "20000", "--cols", "20"],
              "payments.py": ["--benefits", "6000", "--loop-sample", "500"],
              "bankfiles.py": ["--size", "quick"],
              "reports.py": ["--persons", "20000", "--counties", "2", "--rounds", "2"]},
}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", choices=SIZES, default="quick")
    parser.add_argument("--jobs", type=int, default=None, help="benchmarks run at once (full: 1, quick: 2)")
    args = parser.parse_args()
    jobs = args.jobs or (1 if args.size == "full" else 2)
    commands = [[sys.executable, str(HERE / script), *script_args] for script, script_args in SIZES[args.size].items()]
    if jobs == 1:
        return max(subprocess.call(command) for command in commands)
    from concurrent.futures import ThreadPoolExecutor

    def run(command):
        return subprocess.run(command, capture_output=True, text=True)

    status = 0
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        for done in pool.map(run, commands):  # printed in the table's order
            sys.stdout.write(done.stdout)
            sys.stderr.write(done.stderr)
            status = max(status, done.returncode)
    return status


if __name__ == "__main__":
    sys.exit(main())
