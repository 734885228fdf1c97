from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("interchange", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="importbatch",
            name="edited",
            field=models.JSONField(blank=True, default=dict, verbose_name="corrected plan"),
        ),
        migrations.AddField(
            model_name="importbatch",
            name="edit_log",
            field=models.JSONField(blank=True, default=list, verbose_name="corrections"),
        ),
        migrations.AddField(
            model_name="importbatch",
            name="version",
            field=models.PositiveIntegerField(default=0, verbose_name="version"),
        ),
        migrations.AddField(
            model_name="importbatch",
            name="unit_choices",
            field=models.JSONField(blank=True, default=dict, verbose_name="unit choices"),
        ),
        migrations.AddField(
            model_name="importbatch",
            name="resolutions",
            field=models.JSONField(blank=True, default=dict, verbose_name="re-import choices"),
        ),
        migrations.AddField(
            model_name="importbatch",
            name="corrections",
            field=models.JSONField(blank=True, default=dict, verbose_name="corrected values"),
        ),
    ]
