"""The HTTP API of kg (Flask): ``create_app()`` builds it; ``kg serve`` runs it under gunicorn.

See docs/api.md. Nothing is read from the environment at import: the factory does it.
"""

from __future__ import annotations

from api.app import create_app

__all__ = ["create_app"]
