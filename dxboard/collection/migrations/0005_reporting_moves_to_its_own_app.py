"""Periodic reporting's models leave this app's state for the `reporting` app.

Only Django's idea of the models changes: the tables keep their names and rows
(`reporting` 0001 takes the same models into its state with `Meta.db_table`).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("collection", "0004_drop_element_indexes_covered_by_composites"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name="formfield",
                    name="data_element",
                ),
                migrations.RemoveField(
                    model_name="formfield",
                    name="form",
                ),
                migrations.RemoveField(
                    model_name="formfield",
                    name="section",
                ),
                migrations.RemoveField(
                    model_name="formperiod",
                    name="changed_by",
                ),
                migrations.RemoveField(
                    model_name="formperiod",
                    name="form",
                ),
                migrations.RemoveField(
                    model_name="formsection",
                    name="form",
                ),
                migrations.RemoveField(
                    model_name="reminderlog",
                    name="form",
                ),
                migrations.RemoveField(
                    model_name="reminderlog",
                    name="unit",
                ),
                migrations.RemoveField(
                    model_name="reportform",
                    name="owner_unit",
                ),
                migrations.RemoveField(
                    model_name="validationrule",
                    name="form",
                ),
                migrations.RemoveField(
                    model_name="submission",
                    name="form",
                ),
                migrations.RemoveField(
                    model_name="submission",
                    name="approved_by",
                ),
                migrations.RemoveField(
                    model_name="submission",
                    name="submitted_by",
                ),
                migrations.RemoveField(
                    model_name="submission",
                    name="unit",
                ),
                migrations.RemoveField(
                    model_name="submissionevent",
                    name="submission",
                ),
                migrations.RemoveField(
                    model_name="submissionevent",
                    name="user",
                ),
                migrations.DeleteModel(
                    name="FormAssignment",
                ),
                migrations.DeleteModel(
                    name="FormField",
                ),
                migrations.DeleteModel(
                    name="FormPeriod",
                ),
                migrations.DeleteModel(
                    name="FormSection",
                ),
                migrations.DeleteModel(
                    name="ReminderLog",
                ),
                migrations.DeleteModel(
                    name="ValidationRule",
                ),
                migrations.DeleteModel(
                    name="ReportForm",
                ),
                migrations.DeleteModel(
                    name="Submission",
                ),
                migrations.DeleteModel(
                    name="SubmissionEvent",
                ),
            ],
            database_operations=[],
        ),
    ]
