"""Limits on uploads before any file is looked at: the size of the request and the number per user.

``UploadSizeLimitMiddleware`` answers 413 to a multipart POST whose Content-Length exceeds
``UPLOAD_REQUEST_MAX_BYTES`` without reading its body, and puts ``SizeCapUploadHandler`` first in
line for every other multipart POST, which stops reading once the streamed files pass the limit.
``upload_wait`` counts uploads per user in the default cache (shared by all processes once the
cache is Redis or the database) and says how long to wait when ``UPLOAD_RATE_LIMIT`` is used up.
"""

import math
import time
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

TOO_LARGE_FLAG = "_upload_too_large"


def _is_multipart_post(request) -> bool:
    return request.method == "POST" and request.META.get("CONTENT_TYPE", "").lower().startswith("multipart/")


def too_large_response(request) -> TemplateResponse:
    limit_mb = settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)
    response = TemplateResponse(request, "upload_refused.html", {
        "title": _("Datei zu groß"),
        "message": _("Die Datei ist zu groß. Erlaubt sind höchstens %(limit)d MB je Datei; es wurde nichts "
                     "gespeichert. Bitte verkleinern Sie die Datei (z. B. als PDF mit geringerer Auflösung) "
                     "und laden Sie sie erneut hoch.") % {"limit": limit_mb},
    }, status=413)
    # Not everything was read: the connection is closed, not reused for the rest of the body.
    response["Connection"] = "close"
    return response.render()


class SizeCapUploadHandler(FileUploadHandler):
    """Stops a multipart body once its files pass the limit, whatever length the request declared."""

    def __init__(self, request=None, limit: int = 0):
        super().__init__(request)
        self.limit = limit
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            setattr(self.request, TOO_LARGE_FLAG, True)
            # The handlers' temporary files are closed (and deleted); the rest of the body is not read.
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler (memory or temporary file) keeps the file


class UploadSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _is_multipart_post(request):
            limit = settings.UPLOAD_REQUEST_MAX_BYTES
            try:
                declared = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                declared = 0
            if declared > limit:
                return too_large_response(request)
            request.upload_handlers.insert(0, SizeCapUploadHandler(request, limit))
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not _is_multipart_post(request):
            return None
        # Parsed here at the latest (the CSRF check usually did it already), so the view never sees a
        # request whose files were cut off.
        request.POST  # noqa: B018
        if getattr(request, TOO_LARGE_FLAG, False):
            return too_large_response(request)
        return None


def upload_wait(user) -> timedelta | None:
    """Count one upload of ``user``; when the limit is used up, count nothing and return the time to wait.

    ``UPLOAD_RATE_LIMIT`` is (uploads, seconds), e.g. (30, 600): at most 30 uploads in any 10 minutes.
    """
    count, period = settings.UPLOAD_RATE_LIMIT
    key = f"upload-rate:{user.pk}"
    now = time.time()
    recent = [moment for moment in cache.get(key, []) if moment > now - period]
    if len(recent) >= count:
        return timedelta(seconds=recent[-count] + period - now)
    recent.append(now)
    cache.set(key, recent[-count:], timeout=period)
    return None


def wait_message(wait: timedelta) -> str:
    minutes = max(1, math.ceil(wait.total_seconds() / 60))
    moment = timezone.localtime(timezone.now() + wait)
    if moment.second or moment.microsecond:  # rounded up: at the minute named, it works
        moment = moment.replace(second=0, microsecond=0) + timedelta(minutes=1)
    at = time_format(moment, "H:i")
    return ngettext(
        "Sie haben in kurzer Zeit sehr viele Dateien hochgeladen. Bitte versuchen Sie es in %(minutes)d Minute "
        "wieder, ab %(time)s Uhr. Die Datei wurde nicht gespeichert.",
        "Sie haben in kurzer Zeit sehr viele Dateien hochgeladen. Bitte versuchen Sie es in %(minutes)d Minuten "
        "wieder, ab %(time)s Uhr. Die Datei wurde nicht gespeichert.",
        minutes,
    ) % {"minutes": minutes, "time": at}
