"""Rows of the permission matrix (tests/web/test_permissions.py) for the point-of-sale
API: a browser's session is no token, so every role is answered as a till without one."""

from tests.web.conftest import expect  # noqa: F401

ROWS: list = []
