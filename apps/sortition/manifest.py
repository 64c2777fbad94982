"""The sortition module declares itself (actions, phase kinds, open data exports)."""

from __future__ import annotations
