"""French date formats: ``|date:"DATETIME_FORMAT"`` reads « 12 mai 2026 à 18:30 ».

Typed dates are JJ/MM/AAAA (``apps.core.forms``); ISO dates are accepted too."""

DATETIME_FORMAT = "j F Y à H:i"
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
]
