"""Production's static files storage: WhiteNoise's, with each file's URL worked out once.

Every page links a dozen or more static files; the hashed names come from a manifest that
does not change while the process runs, yet each `{% static %}` builds its URL anew.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._urls: dict[str, str] = {}

    def url(self, name, force=False):
        if force:
            return super().url(name, force)
        url = self._urls.get(name)
        if url is None:  # a name missing from the manifest raises, and is never kept
            url = self._urls[name] = super().url(name)
        return url
