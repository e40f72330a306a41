"""Rows of the permission matrix (tests/web/test_permissions.py) for the point-of-sale
API: a browser's session is no token, so every role is answered as a till without one
(401, in JSON, never a redirect to the login page); the OpenAPI document is public."""

from tests.web.conftest import expect

ROWS: list = [
    ("POST", "/api/v1/sales", "/api/v1/sales", {"sku": "BTK-001", "qty": "1", "receipt": "M-1"},
     expect(401)),
    ("GET", "/api/v1/sales", "/api/v1/sales?since=2020-12-01", None, expect(401)),
    ("GET", "/api/v1/stock", "/api/v1/stock", None, expect(401)),
    ("GET", "/api/v1/openapi.json", "/api/v1/openapi.json", None, expect(200)),
]
