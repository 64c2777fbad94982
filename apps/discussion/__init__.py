"""Discussion: threaded comments on any object (a proposal, a budget project…), with a stance,
reports, hiding with a public reason, and one moderation queue for every module."""
