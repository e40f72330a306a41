"""The public pages, without a login: a product as its label's QR code opens it, the
programme's catalogue, and the check of a statement's verification code."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("public", __name__)
