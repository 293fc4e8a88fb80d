"""The offline web map served at ``/`` by the REST API: static HTML, JavaScript and CSS.

No build step and nothing fetched from the internet: Leaflet is vendored under
``static/vendor/leaflet`` (npm ``leaflet`` 1.9.4, BSD-2-Clause, licence file beside it),
Swagger UI under ``static/vendor/swagger-ui`` (npm ``swagger-ui-dist`` 5.35.0,
Apache-2.0). The base layer is the shipped country outlines (``/v1/outlines``); there is no
tile server.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

__all__ = ["static_dir"]


def static_dir() -> Path:
    """Return the folder of the web map's static files.

    Examples
    --------
    >>> (static_dir() / "index.html").is_file()
    True

    """
    return Path(str(files("corridor.web").joinpath("static")))
