"""The import page (upload → preview → commit) and the Plan JSON download."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views import View

from minsheng.core.exceptions import Conflict, NotAllowed, ValidationFailed
from minsheng.core.views import signed_in_user
from minsheng.interchange.choices import BatchStatus
from minsheng.interchange.exporters.services import XLSX
from minsheng.interchange.forms import ImportTargetForm, ImportUploadForm
from minsheng.interchange.models import ImportBatch
from minsheng.interchange.policies import can_export, can_import
from minsheng.interchange.selectors import import_history
from minsheng.interchange.services import (
    ImportFailed,
    import_batch_commit,
    import_batch_create,
    import_batch_preview,
    parse_source,
    plan_export,
)
from minsheng.interchange.services.batches import plan_correction_batch
from minsheng.interchange.services.edits import EditRefused, import_batch_edit, import_batch_replace
from minsheng.interchange.services.regions import import_region
from minsheng.interchange.services.sheets import preview_xlsx, unit_suggestions
from minsheng.orgs.models import Region
from minsheng.orgs.policies import can_manage_orgs
from minsheng.orgs.selectors import region_path
from minsheng.plans.choices import PlanStatus, TargetOp
from minsheng.plans.models import Plan


def _import_region(user: Any, form: ImportTargetForm, data: bytes, name: str) -> Region:
    """The region to import into: the one typed, else the one the list names (created on request)."""
    text = form.cleaned_data["region"].strip()
    named = "" if text else (parse_source(data, name).region or "")
    return import_region(
        acting_user=user, text=text, list_region=named, create=bool(form.cleaned_data.get("create_region"))
    )


def _batch_create(request: HttpRequest, form: ImportTargetForm, data: bytes, name: str) -> ImportBatch:
    """Parse and keep an upload for preview, into the region/year/title the form gives (or the list's)."""
    user = signed_in_user(request)
    return import_batch_create(
        acting_user=user,
        source_bytes=data,
        source_name=name,
        region=_import_region(user, form, data, name),
        year=form.cleaned_data["year"],
        title=form.cleaned_data["title"],
    )


def _add_service_error(form: ImportTargetForm, exc: ValidationFailed | NotAllowed) -> None:
    # Region problems (unknown, or outside the user's scope) belong to the region field.
    field = "region" if exc.field == "region" or isinstance(exc, NotAllowed) else None
    form.add_error(field, exc.message)


class _ImportAccessMixin(LoginRequiredMixin):
    """Only the supervision office reaches the import pages (interchange.policies.can_import)."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and not can_import(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc,no-any-return,return-value]


class ImportUploadView(_ImportAccessMixin, View):
    """Step 1: upload a list file; it is parsed and kept with its preview (nothing imported yet)."""

    template_name = "interchange/import_upload.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        # No region prefilled: an empty field means the list's own region.
        return self._render(ImportUploadForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ImportUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._render(form)
        data, name = form.source()
        try:
            batch = _batch_create(request, form, data, name)
        except ImportFailed as exc:
            return self._render(form, errors=exc.errors)
        except (ValidationFailed, NotAllowed) as exc:
            _add_service_error(form, exc)
            return self._render(form)
        return HttpResponseRedirect(reverse("interchange:import_preview", args=[batch.pk]))

    def _render(self, form: ImportUploadForm, errors: list[str] | None = None) -> HttpResponse:
        recent = import_history(signed_in_user(self.request))[:20]
        context = {
            "form": form,
            "errors": errors or [],
            "recent": recent,
            "can_manage_regions": can_manage_orgs(self.request.user),
        }
        return render(self.request, self.template_name, context, status=422 if errors else 200)


class ImportPreviewView(_ImportAccessMixin, View):
    """Step 2: what the import will create, match and change; POST commits it in one transaction."""

    template_name = "interchange/import_preview.html"

    def _batch(self, pk: int) -> ImportBatch:
        batch = get_object_or_404(ImportBatch.objects.select_related("region", "plan", "created_by"), pk=pk)
        if not can_import(self.request.user, batch.region):
            raise PermissionDenied
        return batch

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._render(self._batch(pk))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = self._batch(pk)
        posted = _posted(request)
        choices = {k[len("unit:") :]: v for k, v in posted.items() if k.startswith("unit:") and v}
        resolutions = {k[len("merge:") :]: v for k, v in posted.items() if k.startswith("merge:")}
        try:
            result = import_batch_commit(
                acting_user=signed_in_user(request),
                batch=batch,
                version=_int(request.POST.get("version")),
                unit_choices=choices,
                resolutions=resolutions,
                reason=posted.get("reason", ""),
            )
        except ImportFailed as exc:
            return self._render(batch, errors=exc.errors, status=422)
        except Conflict as exc:
            return self._render(batch, errors=[exc.message], status=409)
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        if result.created:
            messages.success(request, _("The list is imported as a new plan."))
        elif result.changed:
            messages.success(request, _("The plan is updated from the list."))
        else:
            messages.info(request, _("The list is the same as the plan; nothing changed."))
        return HttpResponseRedirect(reverse("plans:plan_detail", args=[result.plan.pk]))

    def _render(
        self,
        batch: ImportBatch,
        errors: list[str] | None = None,
        status: int = 200,
        target_form: ImportTargetForm | None = None,
        refused: EditRefused | None = None,
        conflict: str = "",
    ) -> HttpResponse:
        committed = batch.status == BatchStatus.COMMITTED
        preview = None
        errors = list(errors or [])
        if not committed:
            try:
                preview = import_batch_preview(batch)
            except ImportFailed as exc:
                errors.extend(exc.errors)
        working = batch.working
        context = {
            "batch": batch,
            "target_form": target_form or ImportTargetForm(initial=_batch_target(batch)),
            "preview": preview,
            "committed": committed,
            "errors": errors + (preview.errors if preview else []),
            "parsed": working,
            "check_first": check_first(working),
            "refused": refused,
            "conflict": conflict,
            "suggestions": unit_suggestions(batch.region, preview.units_new) if preview else {},
            "log": list(reversed(batch.edit_log))[:20],
            "outline": outline(working),
            "needs_reason": bool(batch.plan and batch.plan.status == PlanStatus.PUBLISHED),
            "project_ops": PROJECT_OPS,
            "item_ops": ITEM_OPS,
            "target_ops": TARGET_OPS,
            "target_op_choices": TargetOp.choices,
        }
        return render(self.request, self.template_name, context, status=status)


def _refusal(request: HttpRequest, status: int) -> int:
    """HTMX swaps only successful responses: it gets the page with the message at its place as 200."""
    return 200 if request.headers.get("HX-Request") else status


def _posted(request: HttpRequest) -> dict[str, str]:
    """The POSTed fields, one string each."""
    return {key: str(request.POST.get(key, "")) for key in request.POST}


def _int(text: str | None) -> int | None:
    try:
        return int(text or "")
    except ValueError:
        return None


PROJECT_OPS = (
    ("project_to_category", _lazy("Read as a category heading")),
    ("items_to_projects", _lazy("Read its items as projects")),
    ("project_merge_next", _lazy("Merge with the next project")),
    ("project_delete", _lazy("Delete the project")),
)
ITEM_OPS = (
    ("item_merge_next", _lazy("Merge with the next item")),
    ("item_delete", _lazy("Delete the item")),
)
TARGET_OPS = (
    ("target_delete", _lazy("Delete")),
    ("target_not", _lazy("Not a target")),
)


def outline(plan: dict[str, Any]) -> list[dict[str, Any]]:
    """The list's projects and items with their places (p3, p3-i1) for the editable outline."""
    return [
        {
            "p": p,
            "place": f"p{p}",
            "project": project,
            "items": [
                {"i": i, "place": f"p{p}-i{i}", "item": item} for i, item in enumerate(project["items"])
            ],
        }
        for p, project in enumerate(plan.get("projects", []))
    ]


def check_first(plan: dict[str, Any]) -> list[dict[str, Any]]:
    """The places the parser was least sure of, low confidence first: (place, project, level, reasons)."""
    order = {"low": 0, "medium": 1}
    places = [
        {
            "place": f"p{n}",
            "project": p,
            "level": p["confidence"]["level"],
            "reasons": p["confidence"]["reasons"],
        }
        for n, p in enumerate(plan.get("projects", []))
        if isinstance(p.get("confidence"), dict) and p["confidence"].get("level") in order
    ]
    return sorted(places, key=lambda x: order[x["level"]])


class ImportEditView(ImportPreviewView):
    """One correction of the preview (POST, then back to the preview at the place it changed)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return HttpResponseRedirect(reverse("interchange:import_preview", args=[pk]))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = self._batch(pk)
        args = {
            k: v for k, v in _posted(request).items() if k not in ("csrfmiddlewaretoken", "op", "version")
        }
        try:
            import_batch_edit(
                acting_user=signed_in_user(request),
                batch=batch,
                version=_int(request.POST.get("version")) or 0,
                op=request.POST.get("op", ""),
                args=args,
            )
        except EditRefused as exc:
            return self._render(batch, status=_refusal(request, 422), refused=exc)
        except Conflict as exc:
            batch.refresh_from_db()
            return self._render(batch, status=_refusal(request, 409), conflict=exc.message)
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        place = args.get("p", "")
        anchor = f"#p{place}" if place.isdigit() else ""
        return HttpResponseRedirect(reverse("interchange:import_preview", args=[pk]) + anchor)


class ImportSheetView(ImportPreviewView):
    """The preview as an Excel file in the official attachment layout (GET), or the corrected file
    uploaded back into the same preview (POST)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = self._batch(pk)
        response = HttpResponse(preview_xlsx(batch), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="import-{batch.pk}.xlsx"'
        return response

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = self._batch(pk)
        upload = request.FILES.get("file")
        if upload is None:
            return self._render(batch, errors=[_("Choose the corrected Excel file.")], status=422)
        name = (upload.name or "upload.xlsx").replace("\\", "/").rsplit("/", 1)[-1]
        try:
            parsed = parse_source(upload.read(), name)
            import_batch_replace(
                acting_user=signed_in_user(request),
                batch=batch,
                version=_int(request.POST.get("version")) or 0,
                plan=parsed.to_dict(),
                source_name=name,
            )
        except ImportFailed as exc:
            return self._render(batch, errors=exc.errors, status=422)
        except EditRefused as exc:
            return self._render(batch, errors=[exc.message], status=422)
        except Conflict as exc:
            batch.refresh_from_db()
            return self._render(batch, status=409, conflict=exc.message)
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        messages.success(request, _("The corrected file replaces the list in this preview."))
        return HttpResponseRedirect(reverse("interchange:import_preview", args=[pk]))


def _batch_target(batch: ImportBatch) -> dict[str, Any]:
    return {"region": region_path(batch.region), "year": batch.year, "title": batch.title}


class ImportRetargetView(ImportPreviewView):
    """Preview the same uploaded file again with another region, year or title (a new upload batch)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return HttpResponseRedirect(reverse("interchange:import_preview", args=[pk]))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = self._batch(pk)
        form = ImportTargetForm(request.POST)
        if not form.is_valid() or not batch.source_file:
            return self._render(batch, status=422, target_form=form)
        with batch.source_file.open("rb") as handle:
            data = handle.read()
        try:
            new_batch = _batch_create(request, form, data, batch.source_name)
        except ImportFailed as exc:
            return self._render(batch, errors=exc.errors, status=422, target_form=form)
        except (ValidationFailed, NotAllowed) as exc:
            _add_service_error(form, exc)
            return self._render(batch, status=422, target_form=form)
        return HttpResponseRedirect(reverse("interchange:import_preview", args=[new_batch.pk]))


class PlanCorrectView(LoginRequiredMixin, View):
    """Open a committed plan in the import preview to correct its structure (POST, then the preview)."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        plan = get_object_or_404(Plan.objects.select_related("region"), pk=pk)
        if not can_import(request.user, plan.region):
            raise PermissionDenied
        try:
            batch = plan_correction_batch(acting_user=signed_in_user(request), plan=plan)
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        return HttpResponseRedirect(reverse("interchange:import_preview", args=[batch.pk]))


class PlanExportView(LoginRequiredMixin, View):
    """Download a plan as Plan JSON (recorded in the audit trail)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        plan = get_object_or_404(Plan.objects.select_related("region"), pk=pk)
        if not can_export(request.user, plan):
            raise PermissionDenied
        data = plan_export(acting_user=signed_in_user(request), plan=plan)
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="plan-{plan.pk}-{plan.year}.json"'
        return response
