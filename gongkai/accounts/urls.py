from django.urls import path

from gongkai.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/", views.user_detail, name="user_detail"),
    path("users/<int:pk>/unlock/", views.user_unlock, name="user_unlock"),
    path(
        "users/<int:pk>/memberships/<int:membership_pk>/revoke/",
        views.membership_revoke,
        name="membership_revoke",
    ),
]
