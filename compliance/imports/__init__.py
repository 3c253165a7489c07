"""Readers for chat exports (Telegram JSON, WhatsApp text) → normalised ChatMessage streams."""
from __future__ import annotations

from compliance.errors import ComplianceError
from compliance.imports.message import ChatMessage


class ExportError(ComplianceError):
    """A chat export that cannot be read: where it breaks, what is wrong, how to fix it."""


__all__ = ["ChatMessage", "ExportError"]
