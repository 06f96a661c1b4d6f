from .core import DistrictFactory, MunicipalityFactory
from .grants import ApplicationFactory, CostLineFactory, make_application, project_ended
from .people import MembershipFactory, OrganisationFactory, UserFactory, role_user
from .programmes import ProgrammeBudgetFactory, ProgrammeFactory

__all__ = [
    "ApplicationFactory",
    "CostLineFactory",
    "DistrictFactory",
    "MembershipFactory",
    "MunicipalityFactory",
    "OrganisationFactory",
    "ProgrammeBudgetFactory",
    "ProgrammeFactory",
    "UserFactory",
    "make_application",
    "project_ended",
    "role_user",
]
