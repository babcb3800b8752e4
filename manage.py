#!/usr/bin/env python
"""Django's manage.py, kept for tools that expect it; `dxboard` does the same."""

from dxboard.cli import main

if __name__ == "__main__":
    main()
