"""The one way selfeval makes a Jinja environment: the template's text parts, the
validation page and the department report all render through :func:`environment`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jinja2


def environment(
    package: str,
    folder: str,
    *,
    html: bool,
    strict: bool = True,
    trim: bool = False,
    filters: Mapping[str, Callable[..., Any]] | None = None,
    names: Mapping[str, Any] | None = None,
) -> jinja2.Environment:
    """Templates under ``folder`` of ``package``; ``html`` escapes every value, ``strict``
    makes an undefined name an error, ``trim`` drops the newline and indent around block
    tags; ``filters`` and ``names`` (globals) are given to every template."""
    import jinja2  # heavy: loaded when something is rendered, not when a form is checked

    env = jinja2.Environment(
        loader=jinja2.PackageLoader(package, folder),
        autoescape=html,
        trim_blocks=trim,
        lstrip_blocks=trim,
        undefined=jinja2.StrictUndefined if strict else jinja2.Undefined,
    )
    env.filters.update(filters or {})
    env.globals.update(names or {})
    return env
