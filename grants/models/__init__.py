from .applications import (
    Application,
    Attachment,
    AttachmentKind,
    CostKind,
    CostLine,
    FileNumberCounter,
    FundedPost,
)
from .documents import Document, DocumentKind
from .events import ApplicationEvent
from .increases import GrantIncrease
from .outbox import SentMessage
from .payouts import PayoutBatch, PayoutItem
from .settlements import Refund, Settlement, SettlementCostLine

__all__ = [
    "Application",
    "ApplicationEvent",
    "Attachment",
    "AttachmentKind",
    "CostKind",
    "CostLine",
    "Document",
    "DocumentKind",
    "FileNumberCounter",
    "FundedPost",
    "GrantIncrease",
    "PayoutBatch",
    "PayoutItem",
    "Refund",
    "SentMessage",
    "Settlement",
    "SettlementCostLine",
]
