"""The checking service and its web desk (``selfeval serve``): the library API over HTTP.

A front end like the CLI and the add-ins: :mod:`.uploads` reads a request's files within
bounds, :mod:`.bounds` admits, times and answers each request, :mod:`.work` computes
each endpoint's answer with what the CLI commands use, :mod:`.app` assembles the
Starlette application and the desk (``desk/``), :mod:`.plan` holds the WPS add-in's
routes. Starlette, uvicorn and python-multipart are the ``serve`` extra, imported only
here and by ``selfeval serve``.
"""
