"""Questionnaires of the consultations module: typed questions (choices, scale, ranking, free
text, matrix) with conditions, edited freely before any answer and for typos only after
(``editing``), answered online (anonymous with a duplicate guard, ``duplicates``; or signed, one
answer per person), typed from paper by two agents (double entry), entered by the facilitator of
a site of a multi-site session person by person or as a table's totals (``tables``), with results
added up by the database into a snapshot the task queue keeps fresh (``aggregates``,
``snapshots``), cross-tabs and a streamed export."""
