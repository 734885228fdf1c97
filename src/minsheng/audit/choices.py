from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    """What an audited event did."""

    CREATE = "create", _("create")
    UPDATE = "update", _("update")
    DELETE = "delete", _("delete")
    IMPORT = "import", _("import")
    EXPORT = "export", _("export")
    PUBLISH = "publish", _("publish")
    LOGIN = "login", _("sign in")
    LOGOUT = "logout", _("sign out")
    LOGIN_FAILED = "login_failed", _("failed sign-in")
    DOWNLOAD = "download", _("download")
    ARCHIVE = "archive", _("archive")


class Outcome(models.TextChoices):
    """Whether the audited action succeeded (failed sign-ins, refused uploads are audited too)."""

    SUCCESS = "success", _("success")
    FAILURE = "failure", _("failure")
    DENIED = "denied", _("denied")
