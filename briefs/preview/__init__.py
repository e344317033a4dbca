"""`serve`: every brief as a web page that reloads itself when its inputs change.

    builds     what the server shows: one build of every data file x audience (or the error that stopped it)
    watching   which files a build reads, and waiting for a change to one of them
    app        the web application: index, pages, downloads, and the reload events
    guard      who may ask: requests naming the server's own address, not sent by another site's page
"""

from .app import make_app
from .builds import Build, Builder, Request

__all__ = ["Build", "Builder", "Request", "make_app"]
