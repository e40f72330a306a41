"""Rows of the permission matrix (tests/web/test_permissions.py) for the agency's
pages that show the programme: dashboard and registers."""

from tests.web.conftest import expect  # noqa: F401

ROWS: list = []
