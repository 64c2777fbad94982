"""RGPD: the data export and the account deletion, both driven by ``coverage.HOLDINGS``."""

from __future__ import annotations

from apps.accounts.rgpd.erase import account_delete, deleted_label
from apps.accounts.rgpd.export import account_export_data

__all__ = ["account_delete", "account_export_data", "deleted_label"]
