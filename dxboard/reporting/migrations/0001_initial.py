"""The report forms' models, moved from the `collection` app with their tables as they are.

The tables were created by `collection` 0003 and keep their names (`Meta.db_table`), so
this migration changes Django's state only. The content types follow the models
(`app_label` "collection" becomes "reporting"), so admin log entries and permissions
still point at them; backwards, they go back.
"""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

MODELS = (
    "reportform",
    "formsection",
    "formfield",
    "formassignment",
    "formperiod",
    "submission",
    "submissionevent",
    "validationrule",
    "reminderlog",
)


def _move_content_types(apps, schema_editor, old: str, new: str) -> None:
    content_type = apps.get_model("contenttypes", "ContentType")
    rows = content_type.objects.using(schema_editor.connection.alias)
    for model in MODELS:
        # A row already under the new label (created by a post_migrate in between) wins;
        # the old one then has nothing pointing at it that the new one lacks.
        if rows.filter(app_label=new, model=model).exists():
            continue
        rows.filter(app_label=old, model=model).update(app_label=new)


def forwards(apps, schema_editor) -> None:
    _move_content_types(apps, schema_editor, "collection", "reporting")


def backwards(apps, schema_editor) -> None:
    _move_content_types(apps, schema_editor, "reporting", "collection")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("collection", "0005_reporting_moves_to_its_own_app"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("indicators", "0001_initial"),
        ("units", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ReportForm",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "code",
                            models.CharField(
                                max_length=50,
                                unique=True,
                                validators=[
                                    django.core.validators.RegexValidator(
                                        "^[A-Za-z0-9_-]+$",
                                        "Mã chỉ gồm chữ cái không dấu, chữ số, dấu gạch dưới (_) và gạch ngang (-).",
                                    )
                                ],
                                verbose_name="mã",
                            ),
                        ),
                        ("name", models.CharField(max_length=300, verbose_name="tên")),
                        ("description", models.TextField(blank=True, verbose_name="mô tả")),
                        (
                            "period_type",
                            models.CharField(
                                choices=[
                                    ("month", "Tháng"),
                                    ("quarter", "Quý"),
                                    ("half_year", "6 tháng"),
                                    ("year", "Năm"),
                                ],
                                default="quarter",
                                max_length=10,
                                verbose_name="loại kỳ",
                            ),
                        ),
                        ("active", models.BooleanField(default=True, verbose_name="đang dùng")),
                        (
                            "cutoff_day",
                            models.PositiveSmallIntegerField(
                                default=14,
                                help_text="Số liệu tính đến ngày này của tháng cuối kỳ (Nghị định 09/2019: ngày 14).",
                                verbose_name="ngày chốt số liệu",
                            ),
                        ),
                        (
                            "deadline_days",
                            models.PositiveSmallIntegerField(
                                default=6,
                                help_text="Hạn nộp = ngày chốt + số ngày này (mặc định: ngày 20 tháng cuối kỳ).",
                                verbose_name="số ngày nộp sau ngày chốt",
                            ),
                        ),
                        (
                            "grace_days",
                            models.PositiveSmallIntegerField(
                                default=30,
                                help_text="Sau hạn nộp, kỳ còn mở thêm ngần này ngày để nộp muộn, rồi tự đóng.",
                                verbose_name="số ngày còn nhận sau hạn",
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "owner_unit",
                            models.ForeignKey(
                                help_text="Biểu mẫu áp dụng cho các đơn vị thuộc đơn vị này.",
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="report_forms",
                                to="units.unit",
                                verbose_name="đơn vị ban hành",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "biểu mẫu báo cáo",
                        "verbose_name_plural": "biểu mẫu báo cáo",
                        "db_table": "collection_reportform",
                        "ordering": ["code"],
                    },
                ),
                migrations.CreateModel(
                    name="ReminderLog",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("period", models.CharField(max_length=10)),
                        (
                            "kind",
                            models.CharField(
                                choices=[("before", "Sắp đến hạn"), ("overdue", "Quá hạn")],
                                max_length=10,
                            ),
                        ),
                        ("sent_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("recipients", models.TextField(blank=True)),
                        (
                            "unit",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="units.unit",
                            ),
                        ),
                        (
                            "form",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="reporting.reportform",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "nhắc hạn đã gửi",
                        "verbose_name_plural": "nhắc hạn đã gửi",
                        "db_table": "collection_reminderlog",
                    },
                ),
                migrations.CreateModel(
                    name="FormSection",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("order", models.PositiveIntegerField(default=0, verbose_name="thứ tự")),
                        ("title", models.CharField(max_length=300, verbose_name="tiêu đề")),
                        (
                            "form",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="sections",
                                to="reporting.reportform",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "phần của biểu mẫu",
                        "verbose_name_plural": "phần của biểu mẫu",
                        "db_table": "collection_formsection",
                        "ordering": ["form", "order", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="FormPeriod",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("period", models.CharField(max_length=10, verbose_name="kỳ")),
                        (
                            "state",
                            models.CharField(
                                choices=[
                                    ("open", "Đang mở"),
                                    ("closed", "Đã đóng"),
                                    ("locked", "Đã khóa sổ"),
                                ],
                                max_length=10,
                                verbose_name="trạng thái",
                            ),
                        ),
                        (
                            "deadline",
                            models.DateField(blank=True, null=True, verbose_name="hạn nộp riêng"),
                        ),
                        ("changed_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "changed_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "form",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="form_periods",
                                to="reporting.reportform",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "kỳ báo cáo",
                        "verbose_name_plural": "kỳ báo cáo",
                        "db_table": "collection_formperiod",
                    },
                ),
                migrations.CreateModel(
                    name="FormField",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("order", models.PositiveIntegerField(default=0, verbose_name="thứ tự")),
                        ("required", models.BooleanField(default=True, verbose_name="bắt buộc")),
                        (
                            "label",
                            models.CharField(
                                blank=True,
                                help_text="Để trống: dùng tên phần tử số liệu.",
                                max_length=300,
                                verbose_name="nhãn",
                            ),
                        ),
                        (
                            "data_element",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="form_fields",
                                to="indicators.dataelement",
                            ),
                        ),
                        (
                            "section",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="fields",
                                to="reporting.formsection",
                            ),
                        ),
                        (
                            "form",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="fields",
                                to="reporting.reportform",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "trường của biểu mẫu",
                        "verbose_name_plural": "trường của biểu mẫu",
                        "db_table": "collection_formfield",
                        "ordering": ["section__order", "order", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="FormAssignment",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "unit_kind",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("nation", "Quốc gia"),
                                    ("province", "Tỉnh, thành phố"),
                                    ("district", "Quận, huyện (trước 01/7/2025)"),
                                    ("commune", "Xã, phường, đặc khu"),
                                    ("hamlet", "Thôn, ấp, tổ dân phố"),
                                    ("department", "Sở, ban, ngành"),
                                    ("committee", "Ban chỉ đạo"),
                                    ("other", "Đơn vị khác"),
                                ],
                                max_length=20,
                                verbose_name="loại đơn vị",
                            ),
                        ),
                        (
                            "unit",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="units.unit",
                            ),
                        ),
                        (
                            "unit_group",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="units.unitgroup",
                            ),
                        ),
                        (
                            "form",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="assignments",
                                to="reporting.reportform",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "đơn vị phải báo cáo",
                        "verbose_name_plural": "đơn vị phải báo cáo",
                        "db_table": "collection_formassignment",
                    },
                ),
                migrations.CreateModel(
                    name="Submission",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("period", models.CharField(max_length=10, verbose_name="kỳ")),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("draft", "Đang nhập"),
                                    ("submitted", "Đã nộp"),
                                    ("approved", "Đã duyệt"),
                                    ("returned", "Bị trả lại"),
                                ],
                                default="draft",
                                max_length=10,
                                verbose_name="trạng thái",
                            ),
                        ),
                        (
                            "first_submitted_at",
                            models.DateTimeField(
                                blank=True,
                                help_text="Dùng để tính đúng hạn.",
                                null=True,
                                verbose_name="nộp lần đầu",
                            ),
                        ),
                        (
                            "submitted_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="nộp lúc"),
                        ),
                        (
                            "approved_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="duyệt lúc"),
                        ),
                        (
                            "returned_reason",
                            models.TextField(blank=True, verbose_name="lý do trả lại"),
                        ),
                        (
                            "version",
                            models.PositiveIntegerField(default=1, verbose_name="phiên bản"),
                        ),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("updated_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "approved_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "form",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="submissions",
                                to="reporting.reportform",
                            ),
                        ),
                        (
                            "submitted_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "unit",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="submissions",
                                to="units.unit",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "báo cáo của đơn vị",
                        "verbose_name_plural": "báo cáo của đơn vị",
                        "db_table": "collection_submission",
                        "ordering": ["form", "period", "unit__sort_key"],
                    },
                ),
                migrations.CreateModel(
                    name="SubmissionEvent",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "from_status",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("draft", "Đang nhập"),
                                    ("submitted", "Đã nộp"),
                                    ("approved", "Đã duyệt"),
                                    ("returned", "Bị trả lại"),
                                ],
                                max_length=10,
                            ),
                        ),
                        (
                            "to_status",
                            models.CharField(
                                choices=[
                                    ("draft", "Đang nhập"),
                                    ("submitted", "Đã nộp"),
                                    ("approved", "Đã duyệt"),
                                    ("returned", "Bị trả lại"),
                                ],
                                max_length=10,
                            ),
                        ),
                        ("note", models.TextField(blank=True, verbose_name="ghi chú")),
                        (
                            "source",
                            models.CharField(default="web", max_length=10, verbose_name="nguồn"),
                        ),
                        (
                            "submission",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="events",
                                to="reporting.submission",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "lịch sử báo cáo",
                        "verbose_name_plural": "lịch sử báo cáo",
                        "db_table": "collection_submissionevent",
                        "ordering": ["-at", "-pk"],
                    },
                ),
                migrations.CreateModel(
                    name="ValidationRule",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("left", models.CharField(max_length=500, verbose_name="vế trái")),
                        (
                            "operator",
                            models.CharField(
                                choices=[
                                    ("<", "<"),
                                    ("<=", "≤"),
                                    ("=", "="),
                                    (">=", "≥"),
                                    (">", ">"),
                                    ("!=", "≠"),
                                ],
                                max_length=2,
                                verbose_name="phép so sánh",
                            ),
                        ),
                        ("right", models.CharField(max_length=500, verbose_name="vế phải")),
                        (
                            "importance",
                            models.CharField(
                                choices=[
                                    ("error", "Lỗi (không cho nộp)"),
                                    ("warning", "Cảnh báo (cần giải trình)"),
                                ],
                                default="error",
                                max_length=10,
                                verbose_name="mức độ",
                            ),
                        ),
                        ("message", models.CharField(max_length=300, verbose_name="thông báo")),
                        ("active", models.BooleanField(default=True, verbose_name="đang dùng")),
                        (
                            "form",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="rules",
                                to="reporting.reportform",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "quy tắc kiểm tra",
                        "verbose_name_plural": "quy tắc kiểm tra",
                        "db_table": "collection_validationrule",
                        "ordering": ["form", "pk"],
                    },
                ),
                migrations.AddConstraint(
                    model_name="reportform",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("period_type__in", ["month", "quarter", "half_year", "year"])
                        ),
                        name="report_form_period_type_valid",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="reportform",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("cutoff_day__gte", 1), ("cutoff_day__lte", 28)),
                        name="report_form_cutoff_day_range",
                        violation_error_message="Ngày chốt số liệu phải từ 1 đến 28.",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="reminderlog",
                    constraint=models.UniqueConstraint(
                        fields=("form", "unit", "period", "kind"), name="reminder_log_unique"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="formperiod",
                    constraint=models.UniqueConstraint(
                        fields=("form", "period"),
                        name="form_period_unique",
                        violation_error_message="Kỳ này của biểu mẫu đã được thiết lập.",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="formperiod",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("state__in", ["open", "closed", "locked"])),
                        name="form_period_state_valid",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="formfield",
                    constraint=models.UniqueConstraint(
                        fields=("form", "data_element"),
                        name="form_field_unique_element",
                        violation_error_message="Phần tử số liệu đã có trong biểu mẫu.",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="formassignment",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            models.Q(
                                ("unit__isnull", False),
                                ("unit_kind", ""),
                                ("unit_group__isnull", True),
                            ),
                            models.Q(
                                ("unit__isnull", True),
                                models.Q(("unit_kind", ""), _negated=True),
                                ("unit_group__isnull", True),
                            ),
                            models.Q(
                                ("unit__isnull", True),
                                ("unit_kind", ""),
                                ("unit_group__isnull", False),
                            ),
                            _connector="OR",
                        ),
                        name="form_assignment_exactly_one_target",
                        violation_error_message="Chọn đúng một: đơn vị, loại đơn vị hoặc nhóm đơn vị.",
                    ),
                ),
                migrations.AddIndex(
                    model_name="submission",
                    index=models.Index(
                        fields=["form", "period", "status"], name="submission_form_period"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="submission",
                    constraint=models.UniqueConstraint(
                        fields=("form", "unit", "period"),
                        name="submission_unique",
                        violation_error_message="Đơn vị đã có báo cáo cho biểu mẫu và kỳ này.",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="submission",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("status__in", ["draft", "submitted", "approved", "returned"])
                        ),
                        name="submission_status_valid",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="submission",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("status", "draft"),
                            ("first_submitted_at__isnull", False),
                            _connector="OR",
                        ),
                        name="submission_submitted_has_date",
                        violation_error_message="Báo cáo đã nộp phải có ngày nộp.",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="validationrule",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("operator__in", ["<", "<=", "=", ">=", ">", "!="])),
                        name="validation_rule_operator_valid",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="validationrule",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("importance__in", ["error", "warning"])),
                        name="validation_rule_importance_valid",
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
