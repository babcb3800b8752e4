"""Vietnamese first: pages ignore the browser's Accept-Language.

Many government computers run an English browser; DXBoard still opens in Vietnamese and
switches to English only when the user chooses it (the language cookie). API clients
may ask for English error messages with Accept-Language.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

MACHINE_PREFIXES = ("/api/", "/open311/")


class VietnameseFirstMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(MACHINE_PREFIXES):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
