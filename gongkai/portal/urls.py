from django.urls import path

from gongkai.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("elder/", views.elder_toggle, name="elder_toggle"),
    path("xxgk/", views.column, {"column": "catalog"}, name="catalog"),
    path("tzgg/", views.column, {"column": "notices"}, name="notices"),
    path("gzdt/", views.column, {"column": "news"}, name="news"),
    path("gkzn/", views.column, {"column": "guides"}, name="guides"),
    path("gkzd/", views.column, {"column": "rules"}, name="rules"),
]
