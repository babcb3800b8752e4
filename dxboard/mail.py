"""Where e-mail goes when no SMTP server is configured.

In development the console backend prints each message, which is handy. In production
the same console is the server log, and a password-reset message holds a link that lets
anyone reading the log take over the account (issue 18). There, without SMTP, messages
are not sent and only their subject and recipients are logged.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

logger = logging.getLogger("dxboard.mail")


class NoSmtpBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        for message in email_messages:
            logger.warning(
                "Chưa cấu hình DXBOARD_EMAIL_HOST: không gửi thư “%s” tới %s.",
                message.subject,
                ", ".join(message.recipients()),
            )
        return 0
