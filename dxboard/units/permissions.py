"""What may be done with units, and by whom (registered in `dxboard.permissions`).

Roles are written as the values of `dxboard.accounts.models.Role`: the accounts app is
built on units, so units does not import it (`test_permissions_registry` checks the names).
"""

from dxboard.permissions import Action

ACTIONS = [
    Action(
        "units.manage",
        ("admin", "province_officer"),
        "Tạo đơn vị cấp dưới, sửa, sáp nhập, giải thể đơn vị.",
    ),
    Action(
        "units.edit_succession",
        ("admin", "province_officer"),
        "Ghi nhận chia tách đơn vị và sửa tỷ lệ chuyển sang của đơn vị cũ.",
    ),
]
