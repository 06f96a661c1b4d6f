"""Writes of the grants app. Each function is one action: checks, change, event row, side effects after commit."""
