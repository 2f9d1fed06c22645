from celery import shared_task

from newsletter.services import bounces, sending


@shared_task(ignore_result=True, acks_late=True)
def send_issue(issue_id: int) -> None:
    sending.issue_send(issue_id=issue_id)


@shared_task(ignore_result=True)
def newsletter_sweep() -> None:
    for issue_id in sending.issues_due_ids():
        send_issue.delay(issue_id)


@shared_task(ignore_result=True)
def read_bounces() -> None:
    bounces.bounces_read_folder()
