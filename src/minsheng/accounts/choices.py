from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """A role is a Django group with this name.

    The three administrators split the old all-powerful admin (三权分立, separation of the three powers):
    系统管理员 (system administrator) keeps accounts, units, regions and settings; 安全管理员 (security
    administrator) keeps lockouts and sessions; 审计管理员 (audit administrator) only reads the audit trail.
    """

    OFFICE = "office", _("supervision office")
    REVIEWER = "reviewer", _("reviewer")
    REPORTER = "reporter", _("unit reporter")
    LEADER = "leader", _("leader")
    DEPUTY = "deputy", _("people's deputy")
    SYSTEM_ADMIN = "system_admin", _("system administrator")
    SECURITY_ADMIN = "security_admin", _("security administrator")
    AUDIT_ADMIN = "audit_admin", _("audit administrator")


# No account holds two of these (三权分立).
ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN.value, Role.SECURITY_ADMIN.value, Role.AUDIT_ADMIN.value})
# Roles that must confirm a one-time code after the password (when MINSHENG_TOTP_REQUIRED is on).
TOTP_ROLES = frozenset({Role.OFFICE.value, Role.REVIEWER.value, *ADMIN_ROLES})
# Government staff: their passwords expire under MINSHENG_MLPS (deputies are not staff).
STAFF_ROLES = frozenset(
    {Role.OFFICE.value, Role.REVIEWER.value, Role.REPORTER.value, Role.LEADER.value, *ADMIN_ROLES}
)
# The roles a supervision office may give within its region; administrators are made by the system one.
OFFICE_ASSIGNABLE_ROLES = (Role.OFFICE, Role.REVIEWER, Role.REPORTER, Role.LEADER, Role.DEPUTY)


class LockKind(models.TextChoices):
    """What a sign-in lock is keyed on."""

    ACCOUNT = "account", _("account")
    ADDRESS = "address", _("address")
