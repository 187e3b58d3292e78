"""The service's WPS routes in an app of their own, for tests/test_wps_addin.py (uvicorn
``tests.wps_app:app``), until the service's app factory (selfeval.service.app) holds them."""

from starlette.applications import Starlette

from selfeval.service.plan import ROUTES

app = Starlette(routes=ROUTES)
