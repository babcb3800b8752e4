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


class ServiceErrorMiddleware:
    """One mapping of the service layer's refusals to web answers, for every page.

    A view lets `NotFound` and `Forbidden` propagate; this turns them into the styled
    404 and 403 pages (what a user may not see is 404, what they may see but not do is
    403). `InvalidInput` and `Conflict` are the view's business (they belong on the form);
    one that escapes a view is shown on the 400 page rather than as a 500.
    The API has its own handlers (`dxboard/api.py`) and is left alone here.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from django.template.response import TemplateResponse

        from dxboard.errors import Conflict, Forbidden, InvalidInput, NotFound

        if request.path.startswith(MACHINE_PREFIXES):
            return None
        if isinstance(exception, NotFound):
            template, status = "404.html", 404
        elif isinstance(exception, Forbidden):
            template, status = "403.html", 403
        elif isinstance(exception, InvalidInput | Conflict):
            # A refusal no view caught (a period code in the URL that is not one, …) is
            # still the user's input, not a server error: a 400/409 page, never a 500.
            template, status = "400.html", exception.status
        else:
            return None
        response = TemplateResponse(
            request, template, {"message": exception.message, "status": status}, status=status
        )
        return response.render()
