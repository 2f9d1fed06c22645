"""gunicorn's access log without the personal data that addresses carry.

A search address holds the place someone searched (`/grupper/?sted=2660`), a withdraw or confirm
link holds a token that acts for its owner, and the Referer repeats both. The log keeps the
method, the path with tokens cut out, the status, the size and the time: enough to see load and
errors. gunicorn.conf.py at the top of the repository switches this logger on.
"""

from __future__ import annotations

import re

from gunicorn.glogging import Logger

# The path segment after these words is a secret: an interest's withdraw link, a group's confirm
# link, allauth's email confirmation and password reset keys.
_TOKEN = re.compile(r"(/(?:trekk|bekreft|confirm-email|key)/)[^/]+")
ACCESS_LOG_FORMAT = '%(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms'


def redact_path(path: str) -> str:
    return _TOKEN.sub(r"\1…", path)


class AccessLogger(Logger):
    def atoms(self, resp, req, environ, request_time):  # noqa: ANN001, ANN201 (gunicorn's API)
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["U"] = redact_path(atoms["U"] or "")
        # Everything that repeats the full address or the query string.
        for key in ("r", "q", "f"):
            atoms[key] = "-"
        return {k: v for k, v in atoms.items() if not k.startswith("{")}
