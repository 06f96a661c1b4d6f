"""Staff, head of unit and finance screens in the Wagtail admin (/admin/).

Kept import-free: ``django.contrib.admin`` autodiscovers ``<app>.admin`` at start-up.
"""
