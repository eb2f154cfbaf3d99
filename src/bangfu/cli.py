"""The `bangfu` command: Django's management commands with Bangfu's settings, plus our verbs
(import-regions, synth, import-survey, export-survey, demo-setup). Verbs may be written with
dashes; they map to the management commands of the same name with underscores."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bangfu.settings")
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
