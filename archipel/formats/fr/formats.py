"""French date formats: ``|date:"DATETIME_FORMAT"`` reads « 12 mai 2026 à 18:30 »."""

DATETIME_FORMAT = "j F Y à H:i"
