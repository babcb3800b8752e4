"""The audit of targets leaves this app's state for `indicators`, beside the targets.

Only Django's state changes; the table `evaluation_targetchange` stays as it is.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("evaluation", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name="TargetChange",
                ),
            ],
            database_operations=[],
        ),
    ]
