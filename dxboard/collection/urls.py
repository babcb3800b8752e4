"""Pages of the collection app: periodic reporting (`dxboard.collection.reporting`)."""

from dxboard.collection.reporting.urls import urlpatterns

app_name = "collection"

__all__ = ["app_name", "urlpatterns"]
