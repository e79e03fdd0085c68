"""Form fields shared by several blueprints."""

from __future__ import annotations

from wtforms import SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget


class MultiCheckboxField(SelectMultipleField):
    """A group of checkboxes, one per choice (accessible without JavaScript)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()
