"""The static files storage of production: hashed names, compressed copies (whitenoise).

Django rewrites the ``sourceMappingURL`` comment of every JavaScript file to the hashed
name of its source map, and fails when that map is not there. Vendored, minified libraries
(Chart.js) name a map they do not ship, so JavaScript source maps are left as they are:
``collectstatic`` never fails on a debugging aid, and serving starts. CSS is rewritten as
Django does (``url()``, ``@import`` and its source maps).
"""

from __future__ import annotations

from django.contrib.staticfiles.storage import HashedFilesMixin
from whitenoise.storage import CompressedManifestStaticFilesStorage

_CSS_PATTERNS = dict(HashedFilesMixin.patterns)["*.css"]


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    patterns = (("*.css", _CSS_PATTERNS),)
