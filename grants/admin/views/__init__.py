"""Views of the grants admin; wired up in ``grants.admin.viewsets``."""
