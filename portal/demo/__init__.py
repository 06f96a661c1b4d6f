"""Fictitious demo data: Landkreis Musterstadt, its municipalities, programmes, people and applications."""
