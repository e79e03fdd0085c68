"""Countries and their regions (ISO 3166-2), loaded from pycountry with the corrections of
app.geography.overrides; their maps and neighbours in app.geography.maps."""

from app.geography.maps import neighbours

__all__ = ["neighbours"]
