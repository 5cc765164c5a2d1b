"""The web server's access log never holds what a URL's query string or the Referer
carries (a BSN, a surname): deploy/gunicorn.conf.py, as the Dockerfile runs it."""

import datetime
import runpy
from pathlib import Path

from gunicorn.config import Config
from gunicorn.glogging import Logger

CONF = Path(__file__).resolve().parents[2] / "deploy" / "gunicorn.conf.py"


class _Response:
    status = "200 OK"
    sent = 512
    headers = []


def test_the_access_log_line_leaves_out_the_query_string_and_the_referer():
    conf = runpy.run_path(str(CONF))
    config = Config()
    config.set("access_log_format", conf["access_log_format"])
    logger = Logger(config)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/werk/?q=999999990&pagina=2",
        "PATH_INFO": "/werk/",
        "QUERY_STRING": "q=999999990&pagina=2",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "192.0.2.7",
        "HTTP_REFERER": "https://vroeg.example/werk/?q=Vries",
        "HTTP_USER_AGENT": "Firefox",
    }
    atoms = logger.atoms(_Response(), [], environ, datetime.timedelta(milliseconds=12))
    line = conf["access_log_format"] % atoms
    assert '"GET /werk/ HTTP/1.1" 200 512' in line and "192.0.2.7" in line
    assert "999999990" not in line and "Vries" not in line


def test_the_dockerfile_runs_gunicorn_with_that_configuration():
    dockerfile = (CONF.parents[1] / "Dockerfile").read_text()
    assert '"--config", "deploy/gunicorn.conf.py"' in dockerfile
