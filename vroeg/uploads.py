"""An upload is refused while it streams, not after the whole body has arrived: the
first handler of settings.FILE_UPLOAD_HANDLERS counts the bytes and stops reading at
MAX_UPLOAD_BYTES (the largest file any form takes, a 50 MB delivery). The form then
explains it in Dutch; nothing of the file is kept. The reverse proxy should refuse
such bodies even earlier (docs/operators/deployment.md)."""

from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
TOO_LARGE = "Het bestand is groter dan 50 MB. Lever het in delen aan."
_FLAG = "_vroeg_upload_too_large"


class UploadLimitHandler(FileUploadHandler):
    """Passes chunks on to the next handler until the files of one request pass
    MAX_UPLOAD_BYTES; then stops the upload (the rest is not read) and marks the request."""

    def __init__(self, request=None):
        super().__init__(request)
        self.received = 0

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length and content_length > MAX_UPLOAD_BYTES + 64 * 1024:  # the form's other fields
            self._stop()
        return None

    def new_file(self, *args, **kwargs):
        if getattr(self.request, _FLAG, False):
            raise StopUpload(connection_reset=True)
        super().new_file(*args, **kwargs)

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > MAX_UPLOAD_BYTES:
            self._stop()
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size):
        return None

    def _stop(self) -> None:
        if self.request is not None:
            setattr(self.request, _FLAG, True)


def upload_too_large(request: HttpRequest) -> bool:
    """Whether the upload of this request was stopped for its size (read request.FILES first)."""
    return getattr(request, _FLAG, False)
