from django.urls import path

from koe.surveys import views

app_name = "surveys"

urlpatterns = [
    path("", views.start, name="start"),
    path("resume/", views.resume, name="resume"),
    path("history/", views.history, name="history"),
    path("<uuid:public_id>/<int:number>/", views.page, name="page"),
    path("<uuid:public_id>/about/", views.about, name="about"),
    path("<uuid:public_id>/review/", views.review, name="review"),
    path("<uuid:public_id>/result/", views.result, name="result"),
    path("<uuid:public_id>/contact/", views.contact, name="contact"),
]
