"""The embedded development database: a project-local PostgreSQL started on demand (pgserver).

Used only when DATABASE_URL is not set. The server lives under `.data/postgres`, is shared by every
process that asks for it (runserver, the tests, a worker) and stops when the last of them exits.
"""

import logging
import warnings
from pathlib import Path
from urllib.parse import quote

DATABASE_NAME = "selvhjelp"


def embedded_database_url(pgdata: Path) -> str:
    warnings.filterwarnings("ignore", module="platformdirs")
    logging.getLogger("pgserver").setLevel(logging.WARNING)
    import pgserver  # imported here: production never loads it

    pgdata.parent.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(pgdata, cleanup_mode="stop")
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")  # noqa: S608 (a constant)
    if "1 row" not in exists:
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")
    return f"postgres://postgres@{quote(str(pgdata), safe='')}/{DATABASE_NAME}"
