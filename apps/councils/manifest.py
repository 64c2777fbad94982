"""Conseils citoyens and juries: open data exports (they are standing bodies, not process phases)."""

from __future__ import annotations
