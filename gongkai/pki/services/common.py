"""The domain error of the pki services."""

from __future__ import annotations


class PkiError(Exception):
    """A refused PKI operation; the message is shown to the user as is."""
