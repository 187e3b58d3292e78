"""Routes of the WPS add-in (issue 21): ``POST /api/plan`` and its static ``/wps/`` files.

The WPS add-in fills :data:`ROUTES`; the service mounts whatever it holds. Its upload
route reads files with :func:`selfeval.service.uploads.read_uploads` and runs its work
through :meth:`selfeval.service.app.Service.work`, so it shares the limits.
"""

from __future__ import annotations

ROUTES: list = []
"""Starlette routes the WPS add-in adds to the service (empty until it does)."""
