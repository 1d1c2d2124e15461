from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from koe.core import views as core_views

# Language-neutral URLs: probes and the quick exit must answer whatever the language.
urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("exit/", core_views.quick_exit, name="quick_exit"),
    path("admin/", admin.site.urls),
]

# Every page a person reads lives under /<lang>/, so a link always says its language.
urlpatterns += i18n_patterns(
    path("", include("koe.core.urls")),
    path("account/", include("koe.accounts.urls")),
    path("self-check/", include("koe.surveys.urls")),
    path("consult/", include("koe.cases.worker_urls")),
    path("join/", include("koe.reach.worker_urls")),
    path("company/programme/", include("koe.programmes.urls")),
    path("company/alerts/", include("koe.riskwatch.urls")),
    path("company/reach/", include("koe.reach.urls")),
    path("company/insights/", include("koe.reports.urls")),
    path("company/reports/", include("koe.quarterly.urls")),
    path("company/", include("koe.organizations.urls")),
    # Corrective action spans three audiences: company/cases/…, desk/actions/…, consult/actions/….
    path("", include("koe.remedy.urls")),
    path("desk/", include("koe.cases.urls")),
    path("operator/audit/", include("koe.audit.urls")),
    prefix_default_language=True,
)
