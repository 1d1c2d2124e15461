"""Logging filters that keep secrets in URLs out of the logs.

Invitation links and worker join links carry their token in the path. Django logs the path of
every 404 ("Not Found: /ja/company/invitation/<token>/") and the development server logs every
request line, so a log file would otherwise hold working links.
"""

import logging
import re

# The segments after these prefixes are tokens (or, for /invitations/, harmless ids); the query
# string goes too, in case a link ever carries one there.
TOKEN_PATH = re.compile(r"(/(?:invitations?|join)/)[^\s\"']+")
REDACTED = r"\1[token]"


def redact_tokens(text: str) -> str:
    return TOKEN_PATH.sub(REDACTED, text)


class RedactTokensFilter(logging.Filter):
    """Rewrites the record's message with tokens replaced by ``[token]``; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_tokens(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True
