from django.conf import settings

ELDER_COOKIE = "jc_elder"


def site(request):
    return {
        "site_name": settings.JICENG_SITE_NAME,
        "elder": request.COOKIES.get(ELDER_COOKIE) == "1",
    }
