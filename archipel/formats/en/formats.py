"""English date formats: ``|date:"DATETIME_FORMAT"`` reads "May 12, 2026, 18:30"."""

DATETIME_FORMAT = "F j, Y, H:i"
