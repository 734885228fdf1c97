from django.urls import path

from minsheng.accounts import views

app_name = "accounts"

urlpatterns = [
    path("second-factor/", views.totp_verify, name="totp_verify"),
    path("second-factor/setup/", views.totp_enrol, name="totp_enrol"),
    path("second-factor/backup-codes/", views.backup_codes, name="backup_codes"),
    path("password/", views.password_change, name="password_change"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/", views.user_edit, name="user_edit"),
    path("users/<int:pk>/active/", views.user_active, name="user_active"),
    path("users/<int:pk>/password/", views.user_password, name="user_password"),
    path("users/<int:pk>/second-factor/", views.user_second_factor_reset, name="user_second_factor_reset"),
    path("locks/", views.lock_list, name="lock_list"),
    path("security-settings/", views.security_settings_edit, name="security_settings"),
    path("locks/<int:pk>/lift/", views.lock_lift, name="lock_lift"),
    path("sessions/<int:pk>/end/", views.sessions_end_view, name="sessions_end"),
    path("audit/", views.audit_trail, name="audit_trail"),
]
