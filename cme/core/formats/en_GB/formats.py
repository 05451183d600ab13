"""Dates as GOV.UK writes them ("3 April 2014"), wherever a template shows one without a
format of its own; Django's en-GB default is "3 Apr 2014". Named by FORMAT_MODULE_PATH."""

DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATETIME_FORMAT = "j F Y, H:i"
