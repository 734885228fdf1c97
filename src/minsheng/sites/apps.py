from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SitesConfig(AppConfig):
    """Sites (点位), the map, 民生码 QR codes and signs, photo checks."""

    name = "minsheng.sites"
    label = "sites"
    verbose_name = _("Sites")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from minsheng.core.nav import NavEntry, nav_register
        from minsheng.plans.signals import plan_published
        from minsheng.progress.addons import ReportPart, report_part_register
        from minsheng.progress.models import Evidence
        from minsheng.sites import photos, policies, report_rows, reporting, services

        # The photo's EXIF is read from the original as it is stored (its public copy has none).
        post_save.connect(photos.evidence_saved, sender=Evidence, dispatch_uid="sites.photo_check")
        # A list with a 建设地点 column gives its items their sites when the plan is published.
        plan_published.connect(services.sites_on_publish, dispatch_uid="sites.sites_on_publish")
        report_part_register(
            ReportPart(
                key="sites",
                template="sites/_report_part.html",
                context=reporting.form_context,
                save=reporting.form_save,
                prefixes=(report_rows.PREFIX,),
                sheet_rows=report_rows.sheet_rows,
                sheet_check=report_rows.sheet_check,
                sheet_save=report_rows.sheet_save,
                sheet_totals=report_rows.sheet_totals,
                copy=report_rows.copy,
                api_save=report_rows.api_save,
                derives_values=reporting.is_per_site,
                item_facts=reporting.item_facts,
                order=20,
            )
        )
        nav_register(
            NavEntry(
                key="sites",
                label=_("Sites"),
                url_name="sites:index",
                visible=policies.uses_sites,
                order=36,
                current=("sites",),
            )
        )
