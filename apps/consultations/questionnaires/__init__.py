"""Questionnaires of the consultations module: typed questions (choices, scale, ranking, free
text, matrix) with conditions, answered online (anonymous or signed, one answer per person),
typed from paper by two agents (double entry) or entered by the facilitator of a site of a
multi-site session (World Wide Views), with results, cross-tabs and a streamed export."""
