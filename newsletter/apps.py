from django.apps import AppConfig


class NewsletterConfig(AppConfig):
    name = "newsletter"

    def ready(self) -> None:
        from newsletter import jobs, privacy

        jobs.register()
        privacy.register()
