from dxboard.testing import UrlCase

CASES = [
    UrlCase("api:me", anonymous="401", no_outsider="the caller's own account"),
    UrlCase("accounts:login", anonymous="ok", no_outsider="the login page"),
    UrlCase("accounts:logout", method="post", anonymous="ok", no_outsider="one's own session"),
    UrlCase(
        "accounts:profile",
        outsider="officer_b",
        outsider_expects="ok",
        hidden=lambda w: "Xã An Bình",
    ),
    UrlCase(
        "accounts:tokens",
        outsider="officer_b",
        outsider_expects="ok",
        hidden=lambda w: (w.extra.setdefault("token_a", _token(w.officer_a)), "thử")[1],
    ),
    UrlCase(
        "accounts:token_revoke",
        method="post",
        kwargs=lambda w: {"token_id": w.extra.setdefault("token_a", _token(w.officer_a))},
        outsider="officer_b",
    ),
    UrlCase("accounts:password_change", no_outsider="one's own password"),
    UrlCase("accounts:password_change_done", no_outsider="one's own password"),
    UrlCase("accounts:password_reset", anonymous="ok", no_outsider="a public form"),
    UrlCase("accounts:password_reset_done", anonymous="ok", no_outsider="a public page"),
    UrlCase(
        "accounts:password_reset_confirm",
        kwargs=lambda w: {"uidb64": "MQ", "token": "set-password"},
        anonymous="ok",
        no_outsider="the link's token is the only key",
    ),
    UrlCase("accounts:password_reset_complete", anonymous="ok", no_outsider="a public page"),
]


def _token(user) -> int:
    from dxboard.accounts.services import create_token

    token, _key = create_token(user, "thử")
    return token.pk
