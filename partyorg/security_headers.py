"""Content-Security-Policy and Permissions-Policy on every response (Django 5.2 has neither built in).

The policy allows scripts, styles, fonts and images from this site only: no inline <script>, no on*= handler,
no style="" attribute (tests/security/test_headers.py walks the templates for them). Behaviour lives in
static/js/app.js; htmx is told not to inject its indicator <style> (the meta tag in base.html).
"""

from django.conf import settings


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # A view that needs another policy (none today) sets its own header; it is left alone.
        if settings.CONTENT_SECURITY_POLICY:
            response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        if settings.PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
