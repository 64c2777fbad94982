"""Public pages of the sortition module."""

from __future__ import annotations

from django.urls import path

from apps.sortition.views import public

app_name = "sortition"

urlpatterns = [
    path("", public.draw_list, name="list"),
    path("<slug:slug>/", public.draw_detail, name="detail"),
    path("<slug:slug>/rapport.json", public.draw_report, name="report"),
    path("<slug:slug>/liste-pseudonymisee.csv", public.draw_pool, name="pool"),
    path("<slug:slug>/quotas.csv", public.draw_categories, name="categories"),
    path("<slug:slug>/loterie.json", public.draw_distribution, name="distribution"),
    path("<slug:slug>/volontaires/", public.volunteer, name="volunteer"),
]
