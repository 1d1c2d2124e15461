from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "koe.accounts"
    label = "accounts"
