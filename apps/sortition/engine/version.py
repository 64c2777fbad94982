"""Version of the engine, written into every audit report (bump it when results may change)."""

from __future__ import annotations

__version__ = "1.2.0"
