"""The agency's management pages: the registry of hotels, IKM and products, the terms,
the users, and settling and closing a hotel's month with its statements' PDFs."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("manage", __name__, url_prefix="/agency")
