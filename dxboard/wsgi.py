"""WSGI entry point for gunicorn: `gunicorn dxboard.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dxboard.settings")
application = get_wsgi_application()
