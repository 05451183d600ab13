"""No school pages yet: establishments are loaded with `cme import-establishments`."""

app_name = "schools"
urlpatterns: list[object] = []
