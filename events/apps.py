from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"

    def ready(self) -> None:
        from events import jobs, privacy  # noqa: F401  (jobs registers the daily job)
        from selvhjelp.privacy import register

        register("events", export=privacy.export, erase=privacy.erase)
