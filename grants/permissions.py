"""Who may take which transition: one function per role rule.

django-fsm calls these with (application, user); services and views ask the
same functions, so the rule lives in one place.
"""


def _signed_in(user) -> bool:
    # None (a task, a script), AnonymousUser and deactivated accounts are refused alike;
    # has_perm already ignores inactive users, membership checks would not.
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def is_member(application, user) -> bool:
    if not _signed_in(user):
        return False
    return application.organisation.memberships.filter(user_id=user.pk).exists()


def _impartial(application, user) -> bool:
    """District staff never decide on their own organisation's application (Befangenheit)."""
    return not is_member(application, user)


def can_review(application, user) -> bool:
    return _signed_in(user) and user.has_perm("grants.review_application") and _impartial(application, user)


def can_decide_amount(application, user, amount) -> bool:
    """Staff up to their limit, the head of unit up to hers; above, only the committee (never a person here).

    Never on their own organisation's application."""
    from programmes.choices import DecidingBody
    from programmes.rules import deciding_body

    if not (_signed_in(user) and user.has_perm("grants.approve_application") and _impartial(application, user)):
        return False
    body = deciding_body(application.terms, amount)
    if body == DecidingBody.COMMITTEE:
        return False
    if body == DecidingBody.HEAD:
        return user.has_perm("grants.approve_above_limit")
    return True


def can_approve(application, user) -> bool:
    """As ``can_decide_amount`` for the recommended amount; never the recommender (four eyes)."""
    if not (_signed_in(user) and user.has_perm("grants.approve_application") and _impartial(application, user)):
        return False
    if application.recommended_by_id is not None and application.recommended_by_id == user.pk:
        return False
    return can_decide_amount(application, user, application.recommended_amount or application.requested_amount)


def can_manage_payouts(application, user) -> bool:
    return _signed_in(user) and user.has_perm("grants.manage_payouts") and _impartial(application, user)


def can_check_settlement(application, user) -> bool:
    return _signed_in(user) and user.has_perm("grants.check_settlement") and _impartial(application, user)


def can_record_refund(application, user) -> bool:
    return _signed_in(user) and user.has_perm("grants.record_refund") and _impartial(application, user)


def can_decline(application, user) -> bool:
    """The applicant gives up an approved grant; staff may record a declaration received on paper."""
    return is_member(application, user) or can_review(application, user)


def can_record_committee_decision(application, user) -> bool:
    """Staff record the committee's resolution for an application that the committee decides."""
    from programmes.choices import DecidingBody
    from programmes.rules import deciding_body

    if not (_signed_in(user) and user.has_perm("grants.record_committee_decision") and _impartial(application, user)):
        return False
    amount = application.recommended_amount or application.requested_amount
    return deciding_body(application.terms, amount) == DecidingBody.COMMITTEE
