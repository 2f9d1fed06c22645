"""URLs of the materials app.

`urlpatterns` are its public pages (namespace "materials") and the national admins' pages under
/materiell/ekspedering/, /materiell/lager/ and /materiell/tall/ (404 for anyone else); the two
plain lists are its pages in the staff areas, which `selvhjelp/urls.py` joins into the
`workspace` namespace (a contact point, under /kontaktpunkt/) and the `district` namespace.
"""

from django.urls import path

from materials.views import catalogue, fulfilment, ordering

app_name = "materials"

urlpatterns: list = [
    path("", catalogue.material_list, name="material-list"),
    path("bestill/", ordering.order_create, name="order-create"),
    path("bestilling/<str:token>/", ordering.order_status, name="order-status"),
    path("ekspedering/", fulfilment.fulfilment_list, name="fulfilment-list"),
    path("ekspedering/<int:pk>/", fulfilment.fulfilment_detail, name="fulfilment-detail"),
    path("lager/", fulfilment.stock_list, name="stock-list"),
    path("lager/<int:pk>/fyll-paa/", fulfilment.stock_restock, name="stock-restock"),
    path("tall/", fulfilment.figures, name="figures"),
    path("tall/materiell-tall.csv", fulfilment.figures_csv, name="figures-csv"),
    path("<slug:slug>/", catalogue.material_detail, name="material-detail"),
]
workspace_urlpatterns: list = [
    path("<slug:slug>/materiell/", ordering.workspace_orders, name="material-orders"),
    path(
        "<slug:slug>/materiell/bestill/",
        ordering.workspace_order_create,
        name="material-order-create",
    ),
]
district_urlpatterns: list = []
