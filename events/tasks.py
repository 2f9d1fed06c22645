from celery import shared_task

from events import jobs


@shared_task(ignore_result=True)
def run_event_jobs() -> None:
    jobs.run_event_jobs()
