"""Sangsaeng (상생): the platform an industry–academia–research–government cluster runs on."""

__version__ = "0.1.0"
