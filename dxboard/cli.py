"""The `dxboard` console script.

It runs Django's management commands with DXBoard's settings, so that an operator
types `dxboard migrate` or `dxboard load-units` instead of `python manage.py ...`.
Command names may be written with hyphens: `load-units` runs `load_units`.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv if argv is None else argv)
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    args[0] = "dxboard"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dxboard.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)


if __name__ == "__main__":
    main()
