"""Static files in production: hashed names (cached for good) and compressed copies."""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's storage, tolerant of third-party stylesheets that name files they do not
    ship (viewflow's bundled Roboto stylesheet lists font weights it leaves out): such a
    reference keeps its plain name instead of failing the whole `collectstatic`. Our own
    files are all present, so they are all hashed."""

    def hashed_name(self, name, content=None, filename=None):
        try:
            return super().hashed_name(name, content, filename)
        except ValueError:
            if content is not None or self.exists(name):
                raise
            return name
