"""The home page, the privacy notice and the language switcher."""
