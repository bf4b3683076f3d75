from django.urls import path

from gongkai.portal import feeds, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("elder/", views.elder_toggle, name="elder_toggle"),
    path("xxgk/", views.column, {"column": "catalog"}, name="catalog"),
    path("xxgk/<int:pk>/", views.item, name="item"),
    path("xxgk/<int:pk>/print/", views.item_print, name="item_print"),
    path("xxgk/<int:pk>/fj/<int:att>/", views.attachment, name="attachment"),
    path("tzgg/", views.column, {"column": "notices"}, name="notices"),
    path("gzdt/", views.column, {"column": "news"}, name="news"),
    path("gkzn/", views.column, {"column": "guides"}, name="guides"),
    path("gkzn/<slug:code>/", views.guide, name="guide"),
    path("gkzd/", views.column, {"column": "rules"}, name="rules"),
    path("search/", views.search, name="search"),
    path("feeds/<str:column>/<str:fmt>.xml", feeds.feed, name="feed"),
    path("sitemap.xml", feeds.sitemap, name="sitemap"),
    path("sitemap-<int:n>.xml", feeds.sitemap_page, name="sitemap_page"),
]
