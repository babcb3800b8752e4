"""Actions of the units app (see dxboard/permissions.py)."""

from dxboard.accounts.models import Role
from dxboard.permissions import Action

ACTIONS = [
    Action(
        "units.edit_succession",
        (Role.ADMIN, Role.PROVINCE_OFFICER),
        "Ghi nhận chia tách đơn vị và sửa tỷ lệ chuyển sang của đơn vị cũ",
    ),
]
