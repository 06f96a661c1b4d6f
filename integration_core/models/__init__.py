"""integration_core's models, one module per subject; import them from here."""

from .access_log import CaseReadLog
from .case_choices import (
    IN_WORK_TRAINING_STUDIES,
    Achievement,
    ChildCare,
    ConsentPurposeKind,
    CounsellingType,
    EndReason,
    Gender,
    GermanCourseKind,
    GermanLevel,
    GoalArea,
    Housing,
    LabourStatus,
    LanguageLevel,
    MaritalStatus,
    PlanStatus,
    ProviderKind,
    ProviderRole,
    ReadPurpose,
    Recognition,
    Referral,
    ResidenceStatus,
    SkillArea,
    YesNo,
)
from .cases import Case, CaseHandover
from .competences import Child, Competences, GermanCourse, LanguageSkill
from .consent import Consent, ConsentPurpose
from .goals import Goal, ReportingStatus
from .places import District, Municipality, ags_validator
from .providers import AccessProposal, Provider, ProviderMembership
from .retention import AnonymisationFailure

__all__ = [
    "IN_WORK_TRAINING_STUDIES",
    "AccessProposal",
    "Achievement",
    "AnonymisationFailure",
    "Case",
    "CaseHandover",
    "CaseReadLog",
    "Child",
    "ChildCare",
    "Competences",
    "Consent",
    "ConsentPurpose",
    "ConsentPurposeKind",
    "CounsellingType",
    "District",
    "EndReason",
    "Gender",
    "GermanCourse",
    "GermanCourseKind",
    "GermanLevel",
    "Goal",
    "GoalArea",
    "Housing",
    "LabourStatus",
    "LanguageLevel",
    "LanguageSkill",
    "MaritalStatus",
    "Municipality",
    "PlanStatus",
    "Provider",
    "ProviderKind",
    "ProviderMembership",
    "ProviderRole",
    "ReadPurpose",
    "Recognition",
    "Referral",
    "ReportingStatus",
    "ResidenceStatus",
    "SkillArea",
    "YesNo",
    "ags_validator",
]
