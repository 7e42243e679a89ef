"""Momo: a self-hostable community server built for collective anonymity."""

__version__ = "0.1.0"
