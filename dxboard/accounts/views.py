import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dxboard.errors import ServiceError

from . import services
from .forms import TokenForm

logger = logging.getLogger("dxboard.mail")


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    memberships = request.user.memberships.select_related("unit").order_by("unit__sort_key")
    return render(request, "accounts/profile.html", {"memberships": memberships})


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    new_key = None
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_key = services.create_token(
                request.user, form.cleaned_data["name"], form.cleaned_data["expires_in_days"]
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            form = TokenForm()
    return render(
        request,
        "accounts/tokens.html",
        {
            "form": form,
            "new_key": new_key,
            "tokens": request.user.api_tokens.all(),
            "now": timezone.now(),
        },
    )


@login_required
@require_POST
def revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    try:
        token = services.revoke_token(request.user, token_id)
    except ServiceError as error:
        from django.http import Http404

        raise Http404(error.message) from error
    messages.success(request, _("Đã thu hồi mã truy cập “%(name)s”.") % {"name": token.name})
    return redirect("accounts:tokens")


def mail_is_off() -> bool:
    """Production without an SMTP host: no message can leave the server."""
    return settings.EMAIL_BACKEND == "dxboard.mail.NoSmtpBackend"


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset form, which says plainly when no mail can be sent (instead of
    "sent" with nothing sent), so the user asks an administrator."""

    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"mail_off": mail_is_off()}

    def form_valid(self, form):
        if mail_is_off():  # the page's warning says why; nothing is sent
            logger.warning(
                "Chưa cấu hình DXBOARD_EMAIL_HOST: không gửi được thư đặt lại mật khẩu tới %s.",
                form.cleaned_data["email"],
            )
            return self.form_invalid(form)
        return super().form_valid(form)
