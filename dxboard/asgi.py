"""ASGI entry point for granian: `granian --interface asgi dxboard.asgi:application`."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dxboard.settings")
application = get_asgi_application()
