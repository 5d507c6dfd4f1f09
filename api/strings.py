"""Every sentence the API itself says to a caller (error details). HCP-facing text never lives here:
it comes from the approved content library."""

BLANK_TEXT = "text must not be blank"
TEXT_TOO_LONG = "text is longer than {limit} characters"
BODY_TOO_LARGE = "request body larger than {limit} bytes"
NOT_FOUND = "{noun} {identifier!r} does not exist"
SERVICE_TOKEN_REQUIRED = "a valid service token is required"
