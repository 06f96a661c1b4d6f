"""The case workers' pages of the integration counselling (Integrationsplan) under /fallarbeit/.

Reads through integration_core.cases.access (scoped, logged), writes through its services.
"""
