from dxboard.testing import UrlCase

CASES = [
    UrlCase("api:me", anonymous="401"),
    UrlCase("accounts:login", anonymous="ok"),
    UrlCase("accounts:logout", method="post", anonymous="ok"),
    UrlCase("accounts:profile"),
    UrlCase("accounts:tokens"),
    UrlCase(
        "accounts:token_revoke",
        method="post",
        kwargs=lambda w: {"token_id": w.extra.setdefault("token_a", _token(w.officer_a))},
        outsider="officer_b",
    ),
    UrlCase("accounts:password_change"),
    UrlCase("accounts:password_change_done"),
    UrlCase("accounts:password_reset", anonymous="ok"),
    UrlCase("accounts:password_reset_done", anonymous="ok"),
    UrlCase(
        "accounts:password_reset_confirm",
        kwargs=lambda w: {"uidb64": "MQ", "token": "set-password"},
        anonymous="ok",
    ),
    UrlCase("accounts:password_reset_complete", anonymous="ok"),
]


def _token(user) -> int:
    from dxboard.accounts.services import create_token

    token, _key = create_token(user, "thử")
    return token.pk
