"""Load the default Vietnamese public holidays of 2025 and 2026 (see feedback/holidays.py)."""

from django.db import migrations


def load(apps, schema_editor):
    from dxboard.feedback.holidays import OFFICIAL_SCHEDULES

    Holiday = apps.get_model("feedback", "Holiday")
    for days in OFFICIAL_SCHEDULES.values():
        for day, name in days:
            Holiday.objects.get_or_create(date=day, defaults={"name": name})


def unload(apps, schema_editor):
    from dxboard.feedback.holidays import OFFICIAL_SCHEDULES

    Holiday = apps.get_model("feedback", "Holiday")
    dates = [day for days in OFFICIAL_SCHEDULES.values() for day, _name in days]
    Holiday.objects.filter(date__in=dates).delete()


class Migration(migrations.Migration):
    dependencies = [("feedback", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
