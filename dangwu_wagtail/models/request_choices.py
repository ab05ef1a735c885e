"""What a disclosure request may be and how it may be answered: its statuses, the answers,
the reasons for a refusal, and the audit log's names for its steps."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RequestStatus(models.TextChoices):
    RECEIVED = "received", _("received")
    ACCEPTED = "accepted", _("accepted")
    CLARIFICATION = "clarification", _("awaiting clarification")
    ANSWERED = "answered", pgettext_lazy("request status", "answered")


class AnswerType(models.TextChoices):
    DISCLOSED = "disclosed", _("disclosed (予以公开)")
    PARTIAL = "partial", _("partly disclosed (部分公开)")
    ALREADY_DISCLOSED = "already_disclosed", _("already disclosed (已经公开)")
    NOT_HELD = "not_held", _("not held (信息不存在)")
    NOT_THIS_ORGANISATION = "not_this_organisation", _("not held by this organisation")
    REFUSED = "refused", _("refused (不予公开)")
    DEFERRED = "deferred", _("not to be disclosed for now (暂时不宜公开)")


class RefusalReason(models.TextChoices):
    """Why information is refused (不予公开) or cannot be provided (无法提供): the reasons of
    the annual reports on government information disclosure, adapted to a Party
    organisation (党内法规 beside the laws, a discipline case file for an administrative
    enforcement file, a Party secret beside a state secret)."""

    STATE_SECRET = "state_secret", _("a state secret (属于国家秘密)")
    PARTY_SECRET = "party_secret", _("a Party secret (属于党的秘密)")
    FORBIDDEN = (
        "forbidden",
        _("forbidden by other laws or Party regulations (其他法律法规和党内法规禁止公开)"),
    )
    SECURITY = "security", _("would endanger security and stability (危及“三安全一稳定”)")
    THIRD_PARTY = (
        "third_party",
        _("protects a third party's lawful rights, e.g. personal information (保护第三方合法权益)"),
    )
    INTERNAL_AFFAIRS = (
        "internal_affairs",
        _("internal affairs: personnel, logistics, internal procedure (属于内部事务信息)"),
    )
    PROCESS = (
        "process",
        _(
            "process information: discussions, drafts, consultations, requests for instructions "
            "(属于过程性信息)"
        ),
    )
    CASE_FILE = "case_file", _("a discipline or case file (属于纪律审查等案卷信息)")
    INQUIRY = "inquiry", _("a matter for inquiry through its own channel (属于查询事项)")
    NOT_HELD_HERE = (
        "not_held_here",
        _("this organisation does not hold the information (本组织不掌握相关信息)"),
    )
    NEEDS_MAKING = (
        "needs_making",
        _("no such information exists; it would have to be made (没有现成信息需要另行制作)"),
    )
    STILL_UNCLEAR = (
        "still_unclear",
        _("the request is still unclear after clarification (补正后申请内容仍不明确)"),
    )


#: The reasons an answer is classified by: a refusal's, and those for information that
#: cannot be provided (information that does not exist, or that another organisation holds).
REFUSAL_REASONS = [
    RefusalReason.STATE_SECRET,
    RefusalReason.PARTY_SECRET,
    RefusalReason.FORBIDDEN,
    RefusalReason.SECURITY,
    RefusalReason.THIRD_PARTY,
    RefusalReason.INTERNAL_AFFAIRS,
    RefusalReason.PROCESS,
    RefusalReason.CASE_FILE,
    RefusalReason.INQUIRY,
]
CANNOT_PROVIDE_REASONS = [
    RefusalReason.NOT_HELD_HERE,
    RefusalReason.NEEDS_MAKING,
    RefusalReason.STILL_UNCLEAR,
]
REASONS_BY_ANSWER = {
    AnswerType.REFUSED: REFUSAL_REASONS,
    AnswerType.NOT_HELD: CANNOT_PROVIDE_REASONS,
    AnswerType.NOT_THIS_ORGANISATION: [RefusalReason.NOT_HELD_HERE],
}
#: The reason an answer has when none is chosen: information another organisation holds is
#: information this one does not hold.
DEFAULT_REASONS = {AnswerType.NOT_THIS_ORGANISATION: RefusalReason.NOT_HELD_HERE}
#: Answers that say the information cannot be provided (无法提供).
CANNOT_PROVIDE_ANSWERS = {AnswerType.NOT_HELD, AnswerType.NOT_THIS_ORGANISATION}


#: The steps of a request in Wagtail's audit log: action → (label, message).
REQUEST_LOG_ACTIONS = {
    "dangwu_wagtail.request.receive": (_("Receive request"), _("Request received")),
    "dangwu_wagtail.request.accept": (_("Accept request"), _("Request accepted")),
    "dangwu_wagtail.request.ask_for_clarification": (
        _("Ask for clarification"),
        _("Clarification asked for; the clock stopped"),
    ),
    "dangwu_wagtail.request.clarify": (
        _("Clarify request"),
        _("Request clarified; the clock runs again"),
    ),
    "dangwu_wagtail.request.extend": (_("Extend deadline"), _("Deadline extended")),
    "dangwu_wagtail.request.answer": (_("Answer request"), _("Request answered")),
}

#: Answers that link to a published item of the column.
ANSWERS_WITH_ITEM = {AnswerType.DISCLOSED, AnswerType.PARTIAL, AnswerType.ALREADY_DISCLOSED}
