"""Actions of the committee_reports app and the roles that may perform them (see dxboard/permissions.py)."""

from dxboard.accounts.models import Role
from dxboard.permissions import Action

ACTIONS: list[Action] = [
    Action(
        "committee_reports.view",
        (Role.ADMIN, Role.PROVINCE_OFFICER, Role.APPROVER, Role.VIEWER, Role.REPORTER),
        "Xem báo cáo của Ban Chỉ đạo của đơn vị và tải tệp đã ban hành",
    ),
    Action(
        "committee_reports.edit",
        (Role.ADMIN, Role.PROVINCE_OFFICER),
        "Lập dự thảo báo cáo, viết phần tồn tại, hạn chế và phương hướng, tạo tệp dự thảo",
    ),
    Action(
        "committee_reports.issue",
        (Role.ADMIN, Role.PROVINCE_OFFICER, Role.APPROVER),
        "Ban hành báo cáo: cấp số, chốt số liệu và tệp",
    ),
]
