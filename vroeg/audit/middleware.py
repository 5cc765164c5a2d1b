"""Where a request came from, for every audit entry written while it is handled: a
service (a case step, an assignment, a new contact attempt) writes its entry without
the request, and still records the client's address."""

from contextvars import ContextVar

from django.http import HttpRequest

from .client import client_ip

current_ip: ContextVar[str | None] = ContextVar("vroeg_audit_client_ip", default=None)


class AuditClientMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        token = current_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)
