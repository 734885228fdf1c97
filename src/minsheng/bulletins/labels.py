"""Words for the status lights, shared by the bulletin, the dashboard and the portal.

The words themselves live in `alerts.labels`; this module keeps the bulletin's order and names.
"""

from __future__ import annotations

from minsheng.alerts.labels import LIGHT_LABELS as STATUS_LABELS
from minsheng.alerts.labels import light_label as status_label
from minsheng.alerts.status import Status

__all__ = ["STATUS_LABELS", "STATUS_ORDER", "status_label"]

# Order in which counts are shown: good news first, as bulletins do.
STATUS_ORDER = (
    Status.DONE,
    Status.ON_TRACK,
    Status.LAGGING,
    Status.SEVERE,
    Status.NOT_STARTED,
    Status.TERMINATED,
    Status.UNMEASURED,
)
