"""The web app: ``create_app`` builds it; ``consign serve`` runs it with waitress.

One blueprint per kind of user (``hotel`` for a hotel's staff, ``owner`` for an IKM's,
``agency`` for the agency's), plus ``auth`` (login, logout) and the error pages. Each
request is one transaction, bound to the role of who is logged in; the services hold
every rule and permission, the views parse, call and render.
"""

from consign.web.app import create_app

__all__ = ["create_app"]
