"""Django's PostgreSQL backend with prepared statements on request (`minsheng.core.prepared`)."""
