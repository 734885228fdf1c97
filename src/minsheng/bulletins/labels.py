"""Words for the status lights, shared by the bulletin, the dashboard and the portal."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from minsheng.alerts.status import Status

STATUS_LABELS = {
    Status.DONE: _("done"),
    Status.ON_TRACK: _("on track"),
    Status.LAGGING: _("lagging"),
    Status.SEVERE: _("severely lagging"),
    Status.NOT_STARTED: _("not started"),
    Status.TERMINATED: _("terminated"),
}
# Order in which counts are shown: good news first, as bulletins do.
STATUS_ORDER = (
    Status.DONE,
    Status.ON_TRACK,
    Status.LAGGING,
    Status.SEVERE,
    Status.NOT_STARTED,
    Status.TERMINATED,
)


def status_label(status: Status | str) -> str:
    """The translated word for a status value."""
    try:
        return str(STATUS_LABELS[Status(status)])
    except ValueError:
        return str(status)
