"""The audit of targets (`TargetChange`), moved from `evaluation` with its table as it is.

The table was created by `evaluation` 0001 and keeps its name (`Meta.db_table`), so this
changes Django's state only; the content type follows (reversibly).
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def _move_content_type(apps, schema_editor, old: str, new: str) -> None:
    rows = apps.get_model("contenttypes", "ContentType").objects.using(
        schema_editor.connection.alias
    )
    # A row already under the new label (made by a post_migrate in between) wins.
    if not rows.filter(app_label=new, model="targetchange").exists():
        rows.filter(app_label=old, model="targetchange").update(app_label=new)


def forwards(apps, schema_editor) -> None:
    _move_content_type(apps, schema_editor, "evaluation", "indicators")


def backwards(apps, schema_editor) -> None:
    _move_content_type(apps, schema_editor, "indicators", "evaluation")


class Migration(migrations.Migration):
    dependencies = [
        ("evaluation", "0002_targetchange_moves_to_indicators"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("indicators", "0001_initial"),
        ("units", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="TargetChange",
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
                        ("year", models.PositiveSmallIntegerField(verbose_name="năm")),
                        (
                            "action",
                            models.CharField(
                                choices=[("create", "Thêm"), ("update", "Sửa"), ("delete", "Xóa")],
                                max_length=10,
                                verbose_name="thao tác",
                            ),
                        ),
                        (
                            "old_value",
                            models.CharField(blank=True, max_length=40, verbose_name="giá trị cũ"),
                        ),
                        (
                            "new_value",
                            models.CharField(blank=True, max_length=40, verbose_name="giá trị mới"),
                        ),
                        (
                            "source_document",
                            models.CharField(max_length=300, verbose_name="văn bản giao chỉ tiêu"),
                        ),
                        (
                            "at",
                            models.DateTimeField(
                                default=django.utils.timezone.now, verbose_name="thời điểm"
                            ),
                        ),
                        (
                            "indicator",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="indicators.indicator",
                            ),
                        ),
                        (
                            "programme",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="target_changes",
                                to="indicators.programme",
                            ),
                        ),
                        (
                            "unit",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="units.unit",
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
                                verbose_name="người thực hiện",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "lịch sử sửa chỉ tiêu kế hoạch",
                        "verbose_name_plural": "lịch sử sửa chỉ tiêu kế hoạch",
                        "db_table": "evaluation_targetchange",
                        "ordering": ["-at", "-pk"],
                        "indexes": [
                            models.Index(
                                fields=["programme", "-at"], name="target_change_programme_at"
                            )
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(("action__in", ["create", "update", "delete"])),
                                name="target_change_action_valid",
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
