"""English date formats: ``|date:"DATETIME_FORMAT"`` reads "May 12, 2026, 18:30".

Typed dates are DD/MM/YYYY in both languages (``apps.core.forms``): a French city's dates do not
turn into month-first when a visitor reads the English interface. ISO dates are accepted too."""

DATETIME_FORMAT = "F j, Y, H:i"
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
