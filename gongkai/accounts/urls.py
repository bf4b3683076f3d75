from django.urls import path

from gongkai.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<id:pk>/", views.user_detail, name="user_detail"),
    path("users/<id:pk>/unlock/", views.user_unlock, name="user_unlock"),
    path(
        "users/<id:pk>/memberships/<id:membership_pk>/revoke/",
        views.membership_revoke,
        name="membership_revoke",
    ),
]
