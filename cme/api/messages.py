"""The API's error messages in the service's words, not Django REST framework's.

DRF writes "This field is required." or "A valid integer is required." for every field; an MIS
developer reading the response should learn which field is wrong and what to send instead. The
serializers' own messages (written for this service) pass through unchanged; a message that is
one of DRF's stock texts is rewritten here, with the field named and the values DRF filled in
kept. A test checks that every stock text DRF can produce has its rewrite, so a DRF upgrade that
adds one fails the suite rather than reaching a caller.
"""

from __future__ import annotations

import re
from functools import cache

# DRF's stock text (its English, placeholders as DRF spells them) -> this service's. `{label}`
# is the field in words ("date of birth"); other placeholders are the values DRF filled in.
FIELD_MESSAGES: dict[str, str] = {
    "This field is required.": "Give the {label}: it is required",
    "This field may not be null.": "Give the {label}: it cannot be null",
    "This field may not be blank.": "Give the {label}: it cannot be empty",
    "Not a valid string.": "Give the {label} as text",
    "A valid integer is required.": "Give the {label} as a whole number, like 12",
    "A valid biginteger is required.": "Give the {label} as a whole number, like 12",
    "A valid number is required.": "Give the {label} as a number, like 12.5",
    "Must be a valid boolean.": "Give the {label} as true or false",
    "Must be a valid UUID.": "Give the {label} as a UUID, like 123e4567-e89b-12d3-a456-4266141740",
    "Date has wrong format. Use one of these formats instead: {format}.": (
        "Give the {label} as a date, YYYY-MM-DD, like 2014-04-03"
    ),
    "Datetime has wrong format. Use one of these formats instead: {format}.": (
        "Give the {label} as a date and time, like 2014-04-03T14:05:00Z"
    ),
    "Time has wrong format. Use one of these formats instead: {format}.": (
        "Give the {label} as a time, like 14:05"
    ),
    "Duration has wrong format. Use one of these formats instead: {format}.": (
        "Give the {label} as a length of time, like 3 00:00:00 for three days"
    ),
    "Expected a date but got a datetime.": "Give the {label} as a date alone, YYYY-MM-DD",
    "Expected a datetime but got a date.": (
        "Give the {label} as a date and time, like 2014-04-03T14:05:00Z"
    ),
    "Datetime value out of range.": "The {label} is out of range: check the year",
    'Invalid datetime for the timezone "{timezone}".': (
        "The {label} does not exist in the {timezone} time zone (a clock change): give another"
    ),
    '"{input}" is not a valid choice.': (
        '"{input}" is not one of the values the {label} takes: docs/api.md lists them'
    ),
    '"{input}" is not a valid path choice.': (
        '"{input}" is not one of the values the {label} takes: docs/api.md lists them'
    ),
    "This selection may not be empty.": "Choose at least one {label}",
    "Ensure this field has no more than {max_length} characters.": (
        "Shorten the {label} to {max_length} characters or fewer"
    ),
    "Ensure this field has at least {min_length} characters.": (
        "Make the {label} at least {min_length} characters long"
    ),
    "Ensure this field has no more than {max_length} elements.": (
        "Give no more than {max_length} items in {label}"
    ),
    "Ensure this field has at least {min_length} elements.": (
        "Give at least {min_length} items in {label}"
    ),
    "Ensure this filename has at most {max_length} characters (it has {length}).": (
        "Shorten the {label}'s file name to {max_length} characters or fewer (it has {length})"
    ),
    "Ensure this value is greater than or equal to {min_value}.": (
        "Give the {label} as {min_value} or more"
    ),
    "Ensure this value is less than or equal to {max_value}.": (
        "Give the {label} as {max_value} or less"
    ),
    "Ensure that there are no more than {max_digits} digits in total.": (
        "Give the {label} with {max_digits} digits or fewer"
    ),
    "Ensure that there are no more than {max_decimal_places} decimal places.": (
        "Give the {label} with {max_decimal_places} decimal places or fewer"
    ),
    "Ensure that there are no more than {max_whole_digits} digits before the decimal point.": (
        "Give the {label} with {max_whole_digits} digits or fewer before the decimal point"
    ),
    "Integer value too large to convert to float": "The {label} is too large a number",
    "String value too large.": "The {label} is too long",
    "The number of days must be between {min_days} and {max_days}.": (
        "Give the {label} as between {min_days} and {max_days} days"
    ),
    "Enter a valid email address.": "Give the {label} as an email address, like name@example.org",
    "Enter a valid URL.": "Give the {label} as a web address, like https://example.org/",
    "Enter a valid IPv4 or IPv6 address.": "Give the {label} as an IP address",
    'Enter a valid "slug" consisting of letters, numbers, underscores or hyphens.': (
        "Give the {label} using only letters, numbers, underscores or hyphens"
    ),
    'Enter a valid "slug" consisting of Unicode letters, numbers, underscores, or hyphens.': (
        "Give the {label} using only letters, numbers, underscores or hyphens"
    ),
    "This value does not match the required pattern.": (
        "The {label} is not in the form it takes: docs/api.md shows it"
    ),
    "Value must be valid JSON.": "Give the {label} as JSON",
    "Invalid value.": "The {label} is not a value this field takes: docs/api.md shows them",
    'Expected a list of items but got type "{input_type}".': (
        "Give the {label} as a list, [ ... ], not a {input_type}"
    ),
    'Expected a dictionary of items but got type "{input_type}".': (
        "Give the {label} as an object, {{ ... }}, not a {input_type}"
    ),
    "This list may not be empty.": "Give at least one item in {label}",
    "This dictionary may not be empty.": "Give at least one entry in {label}",
    "Invalid data. Expected a dictionary, but got {datatype}.": (
        "Give the {label} as an object, {{ ... }}, not a {datatype}"
    ),
    'Invalid pk "{pk_value}" - object does not exist.': (
        "No record with the id {pk_value} can be the {label}: check the id"
    ),
    "Incorrect type. Expected pk value, received {data_type}.": (
        "Give the {label} as a record's id, a whole number, not a {data_type}"
    ),
    "Object with {slug_name}={value} does not exist.": (
        "No record with the {slug_name} {value} can be the {label}"
    ),
    "Invalid hyperlink - No URL match.": "The {label} is not a link to a record of this API",
    "Invalid hyperlink - Incorrect URL match.": "The {label} links to the wrong kind of record",
    "Invalid hyperlink - Object does not exist.": "The {label} links to a record that is gone",
    "Incorrect type. Expected URL string, received {data_type}.": (
        "Give the {label} as a link, not a {data_type}"
    ),
    "No file was submitted.": "Attach the {label}: no file was sent",
    "The submitted data was not a file. Check the encoding type on the form.": (
        "Send the {label} as a file (multipart/form-data)"
    ),
    "No filename could be determined.": "Give the {label} a file name",
    "The submitted file is empty.": "The {label} is empty: send a file with something in it",
    "Upload a valid image. The file you uploaded was either not an image or a corrupted image.": (
        "The {label} is not an image, or is damaged: send another"
    ),
}

# The other refusals DRF raises (not about one field), by its text -> the service's.
REQUEST_MESSAGES: dict[str, str] = {
    "Authentication credentials were not provided.": (
        "Sign in first: send your API token as 'Authorization: Bearer <token>'."
    ),
    "Incorrect authentication credentials.": (
        "That API token is not one this service knows. Check it, or ask the CME team for a new one."
    ),
    "You do not have permission to perform this action.": (
        "Your account may not do this. Ask the CME team if your work needs it."
    ),
    "Not found.": "There is nothing at this address that your account may see.",
    'Method "{method}" not allowed.': (
        "This address does not take {method}: docs/api.md lists the methods it takes."
    ),
    'Unsupported media type "{media_type}" in request.': (
        "Send the body as JSON, with 'Content-Type: application/json' (not {media_type})."
    ),
    "Could not satisfy the request Accept header.": (
        "This service answers in JSON only: ask for 'Accept: application/json'."
    ),
    "Malformed request.": "The request body could not be read: send it as a JSON object.",
    "Request was throttled.": "Too many requests: wait a minute and send it again.",
    "Request was throttled. Expected available in {wait} second.": (
        "Too many requests: wait {wait} second and send it again."
    ),
    "Request was throttled. Expected available in {wait} seconds.": (
        "Too many requests: wait {wait} seconds and send it again."
    ),
    "A server error occurred.": "Something went wrong on our side; nothing was saved.",
}

# A JSON body that does not parse: DRF puts the parser's own words after this.
JSON_PARSE_ERROR = "JSON parse error - "


def _pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"\{(\w+)\}", template)
    regex = "".join(
        re.escape(part) if i % 2 == 0 else f"(?P<{part}>.*?)" for i, part in enumerate(parts)
    )
    return re.compile(f"^{regex}$", re.DOTALL)


@cache
def _compiled(table: tuple[tuple[str, str], ...]) -> list[tuple[re.Pattern[str], str]]:
    return [(_pattern(stock), ours) for stock, ours in table]


def _rewrite(message: str, table: dict[str, str], **extra: str) -> str | None:
    for pattern, ours in _compiled(tuple(table.items())):
        found = pattern.match(message)
        if found:
            return ours.format(**found.groupdict(), **extra)
    return None


def field_label(path: str) -> str:
    """A dotted field path in words: "child.date_of_birth" -> "date of birth", "parents.0.name"
    -> "name (parents item 1)"."""
    parts = [p for p in path.split(".") if p]
    if not parts:
        return "request body"
    names = [p for p in parts if not p.isdigit()]
    label = (names[-1] if names else parts[-1]).replace("_", " ")
    items = [
        f"{parts[i - 1].replace('_', ' ')} item {int(p) + 1}"
        for i, p in enumerate(parts)
        if p.isdigit() and i > 0
    ]
    return f"{label} ({', '.join(items)})" if items else label


def plain_field_message(message: str, field: str) -> str:
    """One field's message: DRF's stock text rewritten, the service's own kept as it is."""
    rewritten = _rewrite(message, FIELD_MESSAGES, label=field_label(field))
    return rewritten if rewritten is not None else message


def plain_request_message(message: str) -> str:
    """A refusal of the whole request: DRF's stock text rewritten, the service's own kept."""
    if message.startswith(JSON_PARSE_ERROR):
        return (
            "The request body is not valid JSON ("
            + message.removeprefix(JSON_PARSE_ERROR)
            + "). Send a JSON object."
        )
    rewritten = _rewrite(message, REQUEST_MESSAGES)
    return rewritten if rewritten is not None else message
