from django.urls import path

from koe.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.home, name="home"),
    path("register/", views.register, name="register"),
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("language/", views.set_language, name="set_language"),
    path("about-you/", views.worker_profile, name="profile"),
    path("my-data/", views.export_data, name="export_data"),
    path("delete/", views.delete_account, name="delete"),
]
