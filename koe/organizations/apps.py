from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "koe.organizations"
    label = "organizations"
