from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operations: backup and restore of the database and MEDIA_ROOT (no models of its own)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "ops"
    verbose_name = "vận hành"
