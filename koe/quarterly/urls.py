from django.urls import path

from koe.quarterly import views

app_name = "quarterly"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("generate/", views.generate, name="generate"),
    path("<int:pk>/", views.progress, name="progress"),
    path("<int:pk>/report.pdf", views.download, {"fmt": "pdf"}, name="download_pdf"),
    path("<int:pk>/report.csv", views.download, {"fmt": "csv"}, name="download_csv"),
    path("<int:pk>/report.xlsx", views.download, {"fmt": "xlsx"}, name="download_xlsx"),
]
