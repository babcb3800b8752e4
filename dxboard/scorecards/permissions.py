"""Actions of the scorecards app and the roles that may perform them (see dxboard/permissions.py)."""

from dxboard.accounts.models import Role
from dxboard.permissions import Action

ACTIONS: list[Action] = [
    Action(
        "scorecards.manage",
        (Role.ADMIN, Role.PROVINCE_OFFICER),
        "Ban hành bộ chỉ số, thẩm định và điều chỉnh điểm, xác nhận và công bố kết quả",
    ),
    Action(
        "scorecards.self_assess",
        (Role.ADMIN, Role.REPORTER, Role.APPROVER),
        "Tự chấm điểm, giải trình và tải tài liệu kiểm chứng cho đơn vị mình",
    ),
    Action(
        "scorecards.submit",
        (Role.ADMIN, Role.APPROVER),
        "Thủ trưởng đơn vị nộp kết quả tự đánh giá",
    ),
    Action(
        "scorecards.view",
        (
            Role.ADMIN,
            Role.PROVINCE_OFFICER,
            Role.REPORTER,
            Role.APPROVER,
            Role.VIEWER,
        ),
        "Xem điểm của đơn vị mình trước khi công bố",
    ),
]
