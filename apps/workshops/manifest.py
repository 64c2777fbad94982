"""The workshops module declares itself (actions, phase kinds, open data exports)."""

from __future__ import annotations
