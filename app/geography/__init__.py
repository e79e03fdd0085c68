"""Countries and their regions (ISO 3166-2), loaded from pycountry."""
