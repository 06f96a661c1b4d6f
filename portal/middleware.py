"""Pages with personal data must not be kept in shared or browser caches."""

from django.utils.cache import add_never_cache_headers, patch_cache_control

PRIVATE_PREFIXES = ("/portal/", "/admin/", "/konto/", "/fallarbeit/")


class NoStoreForPersonalDataMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(PRIVATE_PREFIXES):
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
        return response
