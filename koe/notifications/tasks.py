"""Background delivery of notifications (Django's tasks API; `manage.py db_worker` runs them)."""

from django.tasks import task

from koe.notifications.services import notifications_deliver


@task()
def deliver_notifications(notification_ids: list[int]) -> int:
    """One task per batch of the reminder run, never one per worker: a national round queues
    a few dozen tasks, not hundreds of thousands."""
    return notifications_deliver(notification_ids=notification_ids)
