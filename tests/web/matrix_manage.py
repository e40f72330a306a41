"""Rows of the permission matrix (tests/web/test_permissions.py) for the agency's
pages that manage the programme: registry, terms, users, settling and closing."""

from tests.web.conftest import expect  # noqa: F401

ROWS: list = []
