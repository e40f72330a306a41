"""The point-of-sale API (``/api/v1``): a hotel's till sends its sales and reads its stock,
authenticated by the hotel's API token; every answer, every error too, is JSON."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("api", __name__, url_prefix="/api/v1")
