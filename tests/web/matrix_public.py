"""Rows of the permission matrix (tests/web/test_permissions.py) for the public pages: the
same answer for everyone, logged in or not."""

from tests.web.conftest import expect  # noqa: F401

ROWS: list = []
