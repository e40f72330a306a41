"""Rows of the permission matrix (tests/web/test_permissions.py) for the public pages: the
same answer for everyone, logged in or not. In the matrix's programme no IKM has agreed to
appear in the catalogue, so every product page is 404 (as an unknown SKU's is) and the
catalogue is empty; no statement is issued, so a code checked is "not genuine" (200)."""

from tests.web.conftest import expect

ROWS = [
    ("GET", "/p/<sku>", "/p/BTK-001", None, expect(404)),
    ("GET", "/katalog", "/katalog?sector=kriya&hotel=ATRIA", None, expect(200)),
    ("GET", "/verify", "/verify?number=ST-000001&code=0000+0000+0000", None, expect(200)),
]
