from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "koe.notifications"
    label = "notifications"
