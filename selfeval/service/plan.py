"""Routes of the WPS add-in (issue 21): ``POST /api/plan`` and its static ``/wps/`` files.

The WPS add-in fills :data:`ROUTES`; the service mounts whatever it holds. An upload
route is ``Route("/api/plan", guarded(handler), methods=["POST"])`` with
:func:`selfeval.service.bounds.guarded`; its ``handler(service, request)`` reads the files
with ``await read_uploads(request, service.limits)`` (:mod:`selfeval.service.uploads`)
and runs its work with ``await service.work(request, job, *args)``, so it shares the
service's limits, its 503 and time limit, and its Chinese error answers.
"""

from __future__ import annotations

ROUTES: list = []
"""Starlette routes the WPS add-in adds to the service (empty until it does)."""
