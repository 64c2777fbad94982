"""Conseils citoyens and juries: standing bodies partly drawn by lot."""

from __future__ import annotations
