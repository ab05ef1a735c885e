"""WSGI application of the app servers started by tests/test_multinode.py."""

from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()
