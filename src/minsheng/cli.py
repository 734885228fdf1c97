"""The `minsheng` console command.

`minsheng parse FILE` runs without Django (the parser is pure Python); every other sub-command is a
Django management command (`minsheng migrate`, `minsheng import`, `minsheng demo`, …).
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv if argv is None else argv)
    if len(args) > 1 and args[1] == "parse":
        from minsheng.parsing.cli import main as parse_main

        return parse_main(args[2:])
    if len(args) > 1 and args[1] == "parse-report":
        args[1] = "parse_report"  # Django command names cannot hold a hyphen
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minsheng.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
