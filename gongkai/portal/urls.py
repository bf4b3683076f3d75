from django.urls import path
from django.views.generic import RedirectView

from gongkai.portal import feeds, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("elder/", views.elder_toggle, name="elder_toggle"),
    path("xxgk/", views.column, {"column": "catalog"}, name="catalog"),
    path("xxgk/<id:pk>/", views.item, name="item"),
    path("xxgk/<id:pk>/print/", views.item_print, name="item_print"),
    path("xxgk/<id:pk>/fj/<id:att>/", views.attachment, name="attachment"),
    path("tzgg/", views.column, {"column": "notices"}, name="notices"),
    path("gzdt/", views.column, {"column": "news"}, name="news"),
    path("gkzn/", views.column, {"column": "guides"}, name="guides"),
    path("gkzn/<slug:code>/", views.guide, name="guide"),
    path("gkzd/", views.column, {"column": "rules"}, name="rules"),
    path("search/", views.search, name="search"),
    path("feeds/<str:column>/<str:fmt>.xml", feeds.feed, name="feed"),
    path("sitemap.xml", feeds.sitemap, name="sitemap"),
    path("wzdt/", views.sitemap_page, name="sitemap_html"),
    path("favicon.ico", RedirectView.as_view(url="/static/favicon.svg", permanent=True)),
    path("sitemap-<id:n>.xml", feeds.sitemap_page, name="sitemap_page"),
]
