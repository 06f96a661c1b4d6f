from django.conf import settings


def site(request):
    return {
        "SITE_NAME": settings.WAGTAIL_SITE_NAME,
        "DISTRICT_NAME": settings.DISTRICT_NAME,
        "DEMO_MODE": settings.DEMO_MODE,
    }
