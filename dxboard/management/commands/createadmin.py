"""`dxboard createadmin`: create (or reset) a system administrator without prompts if asked."""

import getpass
import os

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from dxboard.accounts.models import User
from dxboard.accounts.services import create_user


class Command(BaseCommand):
    help = "Tạo tài khoản quản trị hệ thống."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--password",
            help="Mật khẩu; nếu bỏ trống sẽ đọc DXBOARD_ADMIN_PASSWORD hoặc hỏi trên màn hình.",
        )

    @transaction.atomic
    def handle(self, *args, username: str, email: str, password: str | None, **options):
        password = password or os.environ.get("DXBOARD_ADMIN_PASSWORD")
        if not password:
            if not options.get("interactive", True) or not os.isatty(0):
                raise CommandError("Cần --password hoặc biến môi trường DXBOARD_ADMIN_PASSWORD.")
            password = getpass.getpass("Mật khẩu: ")
            if password != getpass.getpass("Nhập lại mật khẩu: "):
                raise CommandError("Hai lần nhập mật khẩu không khớp.")
        try:
            validate_password(password)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        user = User.objects.filter(username=username).first()
        if user is None:
            create_user(username, password, email=email, is_superuser=True)
            self.stdout.write(self.style.SUCCESS(f"Đã tạo quản trị viên “{username}”."))
            return
        user.set_password(password)
        user.is_superuser = user.is_staff = user.is_active = True
        if email:
            user.email = email
        user.save()
        self.stdout.write(self.style.SUCCESS(f"Đã cập nhật quản trị viên “{username}”."))
