from django import template

register = template.Library()


@register.simple_tag
def demo_totp_code(user) -> str:
    """While DEMO_MODE is on, the current code of a demo staff account (shown on the second login step)."""
    from portal.demo.second_factor import demo_totp_code as code_of

    return code_of(user)


@register.simple_tag(takes_context=True)
def home_after_login(context) -> str:
    """Where this user's work starts (staff: the administration, case workers: their cases)."""
    from allauth.account.adapter import get_adapter

    request = context["request"]
    return get_adapter(request).get_login_redirect_url(request)


@register.simple_tag
def has_second_factor(user) -> bool:
    from portal.accounts.second_factor import has_second_factor as has_factor

    return user.is_authenticated and has_factor(user)
