"""Opinion maps, Polis' published method, in NumPy/SciPy: no Django here, so the benchmark, the
``opinion_map`` command and the task queue run the same code."""

from __future__ import annotations

from apps.consultations.opinion.compute import OpinionMap, PreviousMap, compute_map, in_conversation_threshold
from apps.consultations.opinion.matrix import AGREE, DISAGREE, PASS, VoteMatrix

__all__ = [
    "AGREE",
    "DISAGREE",
    "PASS",
    "OpinionMap",
    "PreviousMap",
    "VoteMatrix",
    "compute_map",
    "in_conversation_threshold",
]
