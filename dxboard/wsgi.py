"""WSGI entry point (`dxboard serve` runs it under granian; `gunicorn dxboard.wsgi` works too)."""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dxboard.settings")
application = get_wsgi_application()

# Load every view, form and API schema now rather than on the first request, then move
# all of it out of the garbage collector's reach: it lives as long as the process, and a
# full collection over it pauses every thread of the worker (tail latency, see
# docs/performance.md).
get_resolver().url_patterns  # noqa: B018 (imported for its side effect)
gc.freeze()
