from django.apps import AppConfig


class MaterialsConfig(AppConfig):
    name = "materials"

    def ready(self) -> None:
        # Registers the daily clean-up and the per-person export and erasure.
        from materials import jobs, privacy  # noqa: F401
