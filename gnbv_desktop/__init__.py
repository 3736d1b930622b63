"""GNBV Desktop — offline household registry and support planning for commune poverty reduction."""

__version__ = "0.1.0"
