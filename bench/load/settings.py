"""Settings of the load test (bench/load/run.py): production settings, served over
plain HTTP on 127.0.0.1.

With DJANGO_DEBUG off, the session and CSRF cookies are marked Secure; a client
talking plain HTTP (locust) would then never send them back. Everything else is as
in production (the runner sets SECURE_SSL_REDIRECT=false and REQUIRE_2FA=false
through the environment). Never use this module outside the load test.
"""

from vroeg.settings import *  # noqa: F403

SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
