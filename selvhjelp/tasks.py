from celery import shared_task

from selvhjelp import jobs, outbox, prewarm


@shared_task(ignore_result=True)
def send_email(email_id: int) -> None:
    outbox.outbox_send(email_id=email_id)


@shared_task(ignore_result=True)
def outbox_sweep() -> None:
    outbox.outbox_sweep()


@shared_task(ignore_result=True)
def run_daily_jobs() -> None:
    jobs.run_daily()


@shared_task(ignore_result=True)
def prewarm_public_pages() -> None:
    """Fills the public page cache with the common searches after a data change."""
    prewarm.prewarm_public_pages()
