"""URLs of the materials app.

`urlpatterns` are its public pages (namespace "materials"); the two plain lists are its pages in the
staff areas, which `selvhjelp/urls.py` joins into the `workspace` namespace (a contact point, under
/kontaktpunkt/) and the `district` namespace (a district office, under /distriktskontor/).
"""

app_name = "materials"

urlpatterns: list = []
workspace_urlpatterns: list = []
district_urlpatterns: list = []
