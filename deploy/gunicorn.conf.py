"""gunicorn's settings for Vroeg (the Dockerfile runs `gunicorn -c deploy/gunicorn.conf.py`;
docs/operators/deployment.md).

The access log holds the path but never the query string or the Referer: searches
that can name a resident are posted (vroeg/searches.py), and no other parameter of a
URL, nor the page a user came from, should reach a log file either."""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
timeout = 60
accesslog = "-"
# remote address, time, "METHOD /path PROTOCOL", status, bytes, seconds
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(L)s'
