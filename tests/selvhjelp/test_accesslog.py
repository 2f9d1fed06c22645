"""The web server's access log keeps no searched places and no tokens (selvhjelp/accesslog.py)."""

import datetime
import runpy
from pathlib import Path
from types import SimpleNamespace

from gunicorn.config import Config

from selvhjelp.accesslog import AccessLogger

ROOT = Path(__file__).resolve().parents[2]


def _logged_line(path: str, query: str, referer: str) -> str:
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    config = Config()
    for name in ("accesslog", "access_log_format", "logger_class"):
        config.set(name, settings[name])
    logger = config.logger_class(config)
    assert isinstance(logger, AccessLogger)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"{path}?{query}",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_REFERER": f"https://selvhjelp.example{path}?{query}",
    }
    response = SimpleNamespace(status="200 OK", sent=1234, headers=[])
    request = SimpleNamespace(headers=[("REFERER", referer)])
    atoms = logger.atoms(response, request, environ, datetime.timedelta(milliseconds=12))
    return logger.cfg.access_log_format % atoms


def test_the_access_log_leaves_out_the_query_string_and_the_referer():
    line = _logged_line("/grupper/", "sted=2660&tema=sorg", "https://selvhjelp.example/?sted=2660")

    assert '"GET /grupper/ HTTP/1.1" 200 1234' in line
    assert "2660" not in line
    assert "sorg" not in line


def test_the_access_log_cuts_tokens_out_of_paths():
    line = _logged_line("/grupper/meld-interesse/trekk/abc:def123/", "", "-")

    assert "/grupper/meld-interesse/trekk/…/" in line
    assert "abc:def123" not in line
