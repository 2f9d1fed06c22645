from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "groups"

    def ready(self) -> None:
        # Registers the daily jobs (retention, demand notices, confirmation reminders).
        from groups import jobs  # noqa: F401
