from .applications import (
    Application,
    Attachment,
    AttachmentKind,
    CostKind,
    CostLine,
    FileNumberCounter,
    FundedPost,
    PlannedYearAmount,
)
from .committee import AgendaItem, Assessment, ConflictOfInterest, LetterBundle, Meeting, MeetingMember
from .documents import Document, DocumentKind
from .events import ApplicationEvent
from .increases import GrantIncrease
from .outbox import OutboxMessage, SentMessage
from .payouts import PayoutBatch, PayoutItem
from .settlements import Refund, Settlement, SettlementCostLine

__all__ = [
    "AgendaItem",
    "Application",
    "ApplicationEvent",
    "Assessment",
    "Attachment",
    "AttachmentKind",
    "ConflictOfInterest",
    "CostKind",
    "CostLine",
    "Document",
    "DocumentKind",
    "FileNumberCounter",
    "FundedPost",
    "GrantIncrease",
    "LetterBundle",
    "Meeting",
    "MeetingMember",
    "OutboxMessage",
    "PayoutBatch",
    "PayoutItem",
    "PlannedYearAmount",
    "Refund",
    "SentMessage",
    "Settlement",
    "SettlementCostLine",
]
