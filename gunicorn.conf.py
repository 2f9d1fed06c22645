"""gunicorn reads this file when started from the repository's top folder (`gunicorn
selvhjelp.wsgi`). The access log goes to stdout without query strings or tokens: see
selvhjelp/accesslog.py and README.md ("How it runs in production")."""

from selvhjelp.accesslog import ACCESS_LOG_FORMAT

accesslog = "-"
access_log_format = ACCESS_LOG_FORMAT
logger_class = "selvhjelp.accesslog.AccessLogger"
