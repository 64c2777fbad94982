"""The opinion-map engine: a hand-computed case, a dense reference, properties on random
conversations, planted groups found again, and the recomputation after a batch of votes."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.consultations.opinion import VoteMatrix, compute_map, in_conversation_threshold
from apps.consultations.opinion.clusters import GroupCount, kmeans, smooth_group_count, weighted_silhouette
from apps.consultations.opinion.compute import GREEDY_PARTICIPANTS, placed_participants
from apps.consultations.opinion.pca import power_iteration_pca, sparsity_aware_projection
from apps.consultations.opinion.stats import (
    Z_90,
    consensus,
    probability,
    proportion_test,
    representative_statements,
    two_proportion_test,
)
from apps.consultations.opinion.synthetic import adjusted_rand_index, planted_conversation


def test_last_vote_wins_and_moderated_statements_are_left_out() -> None:
    matrix = VoteMatrix.from_votes([7, 7, 9, 9], [1, 1, 1, 2], [1, -1, 0, 1], statement_ids=[1, 3])
    assert matrix.shape == (2, 2)  # statement 2 is moderated out, 3 has no vote yet
    assert list(matrix.statement_ids) == [1, 3]
    assert sorted(zip(matrix.rows.tolist(), matrix.values.tolist(), strict=True)) == [(0, -1), (1, 0)]
    assert list(matrix.votes_per_participant()) == [1, 1]
    # statement 2 was voted on (by 9) before it was moderated out: withdrawn, as Polis counts it
    assert matrix.withdrawn == 1
    assert matrix.withdrawn_votes is not None and list(matrix.withdrawn_votes) == [0, 1]
    assert VoteMatrix.from_votes([7, 9], [1, 1], [1, 0], statement_ids=[1, 3]).withdrawn == 0


def test_withdrawn_statements_scale_the_projection_and_count_for_the_placement() -> None:
    # Statements 1 and 2 stay; 3 and 4 were voted on, then moderated out. Polis keeps their
    # columns, zeroed: two more statements and two more cast votes for everyone in the scaling.
    participants = [1, 1, 1, 2, 2, 3, 3, 3, 3]
    statements = [1, 2, 3, 1, 2, 1, 2, 3, 4]
    values = [1, 1, 1, -1, -1, 1, 0, 1, -1]
    matrix = VoteMatrix.from_votes(participants, statements, values, statement_ids=[1, 2])
    assert matrix.withdrawn == 2
    assert matrix.withdrawn_votes is not None and list(matrix.withdrawn_votes) == [1, 0, 2]
    means = matrix.column_means()
    centered = matrix.centered(means)
    components = np.array([[1.0, 0.0], [0.0, 1.0]])
    votes = matrix.votes_per_participant()
    plain = sparsity_aware_projection(centered, components, votes)
    scaled = sparsity_aware_projection(centered, components, votes, withdrawn=matrix.withdrawn)
    # everyone voted on both remaining statements: no scaling without them, sqrt(4 / 4) with them
    assert plain == pytest.approx(centered.toarray())
    assert scaled == pytest.approx(centered.toarray())
    # participant 1 voted on one statement of two (centred vote 1, statement 1's mean being 0),
    # statement 3 was withdrawn: sqrt(2 / 1) without it, sqrt((2 + 1) / (1 + 1)) with it
    one = VoteMatrix.from_votes([1, 2, 2, 2], [1, 1, 2, 3], [1, -1, 1, 1], statement_ids=[1, 2])
    assert one.withdrawn == 1
    arguments = (one.centered(one.column_means()), components, one.votes_per_participant())
    assert sparsity_aware_projection(*arguments)[0, 0] == pytest.approx(math.sqrt(2))
    assert sparsity_aware_projection(*arguments, withdrawn=one.withdrawn)[0, 0] == pytest.approx(math.sqrt(3 / 2))
    # placement: 6 votes on kept statements and 1 on a withdrawn one make the 7 of Polis' rule
    # (16 others have 7 votes, so the greedy rule for young conversations stays out of it)
    people, voted = [], []
    for person in range(100, 116):
        people += [person] * 7
        voted += list(range(1, 8))
    people += [1] * 7 + [2] * 6
    voted += [1, 2, 3, 4, 5, 6, 11, 1, 2, 3, 4, 5, 6]  # participant 1 (11 is withdrawn), then 2
    many = VoteMatrix.from_votes(people, voted, [1] * len(people), statement_ids=list(range(1, 11)))
    placed = placed_participants(many, many.votes_per_participant())
    assert dict(zip(many.participant_ids.tolist(), placed.tolist(), strict=True))[1] is True
    assert dict(zip(many.participant_ids.tolist(), placed.tolist(), strict=True))[2] is False
    assert placed.sum() == 17


def test_bad_votes_are_refused() -> None:
    with pytest.raises(ValueError, match="-1, 0 or 1"):
        VoteMatrix.from_votes([1], [1], [2])
    with pytest.raises(ValueError, match="same length"):
        VoteMatrix.from_votes([1, 2], [1], [1])


def test_hand_computed_imputation_and_sparse_projection() -> None:
    # P1 (1, 1, 1), P2 (1, 1, ·), P3 (-1, -1, -1), P4 (-1, -1, -1): statement 3's mean is -1/3,
    # so the imputed and centred matrix is P1 (1, 1, 4/3), P2 (1, 1, 0), P3 = P4 (-1, -1, -2/3).
    matrix = VoteMatrix.from_votes(
        [1, 1, 1, 2, 2, 3, 3, 3, 4, 4, 4], [1, 2, 3, 1, 2, 1, 2, 3, 1, 2, 3], [1, 1, 1, 1, 1, -1, -1, -1, -1, -1, -1]
    )
    means = matrix.column_means()
    assert means == pytest.approx([0, 0, -1 / 3])
    centered = matrix.centered(means).toarray()
    assert centered == pytest.approx(np.array([[1, 1, 4 / 3], [1, 1, 0], [-1, -1, -2 / 3], [-1, -1, -2 / 3]]))
    components = power_iteration_pca(matrix.centered(means))
    # the reference: a dense SVD of the same centred matrix
    reference = np.linalg.svd(centered)[2][:2]
    assert abs(components[0] @ reference[0]) == pytest.approx(1, abs=1e-6)
    assert abs(components[1] @ reference[1]) == pytest.approx(1, abs=1e-6)
    assert components @ components.T == pytest.approx(np.eye(2), abs=1e-9)
    positions = sparsity_aware_projection(matrix.centered(means), components, matrix.votes_per_participant())
    # P2 voted on 2 of 3 statements: its plain projection is scaled by sqrt(3 / 2).
    assert positions[1] == pytest.approx((centered[1] @ components.T) * math.sqrt(3 / 2))
    assert positions[0] == pytest.approx(centered[0] @ components.T)


def test_hand_computed_statistics() -> None:
    # One statement, two groups: group 0 has 8 agree, 1 disagree, 1 pass; group 1 has 2 agree, 8 disagree.
    agree, disagree, seen = np.array([[8.0], [2.0]]), np.array([[1.0], [8.0]]), np.array([[10.0], [10.0]])
    assert probability(agree, seen)[0, 0] == pytest.approx(9 / 12)
    # 2·√11·(9/11 − 1/2)
    assert proportion_test(agree, seen)[0, 0] == pytest.approx(2 * math.sqrt(11) * (9 / 11 - 0.5))
    # group 0 against group 1: 9/11 against 3/11, pooled 12/22
    pooled = 12 / 22
    expected = (9 / 11 - 3 / 11) / math.sqrt(pooled * (1 - pooled) * (2 / 11))
    assert two_proportion_test(agree[0], agree[1], seen[0], seen[1])[0] == pytest.approx(expected)
    chosen = representative_statements(agree, disagree, seen)
    (first,) = chosen[0]
    assert first.agree and first.statement == 0
    assert first.ratio == pytest.approx((9 / 12) / (3 / 12))
    assert first.probability_z > Z_90 and first.ratio_z > Z_90
    (second,) = chosen[1]
    assert not second.agree and second.probability == pytest.approx(9 / 12)
    result = consensus(agree, disagree, seen)
    assert result.agreed == [] and result.disagreed == []
    assert result.agree_score[0] == pytest.approx((9 / 12) * (3 / 12))
    assert result.divisive == [0] and result.spread[0] == pytest.approx(9 / 12 - 3 / 12)


def test_group_aware_consensus_needs_votes_from_every_group() -> None:
    agree = np.array([[9.0, 9.0], [9.0, 2.0]])
    disagree = np.zeros((2, 2))
    seen = np.array([[10.0, 10.0], [10.0, 2.0]])  # group 1 cast only 2 votes on statement 1
    result = consensus(agree, disagree, seen, min_votes=3)
    assert result.agreed == [0]
    assert math.isnan(result.agree_score[1])
    assert result.agree_score[0] == pytest.approx((10 / 12) ** 2)


def test_in_conversation_threshold() -> None:
    assert in_conversation_threshold(3) == 3
    assert in_conversation_threshold(200) == 7


def test_group_count_hysteresis() -> None:
    state = smooth_group_count(3, None)
    assert state == GroupCount(3, 3, 0)
    for _ in range(3):  # a challenger wins three times: not yet
        state = smooth_group_count(2, state)
        assert state.current == 3
    state = smooth_group_count(2, state)
    assert state.current == 2
    # an interrupted streak starts again
    state = smooth_group_count(4, state)
    state = smooth_group_count(5, state)
    assert state == GroupCount(2, 5, 1)


def test_weighted_silhouette_matches_expanded_points() -> None:
    points = np.array([[0.0, 0.0], [0.0, 1.0], [5.0, 0.0], [6.0, 0.0]])
    labels = np.array([0, 0, 1, 1])
    weights = np.array([2.0, 1.0, 1.0, 3.0])
    expanded = np.repeat(points, weights.astype(int), axis=0)
    expanded_labels = np.repeat(labels, weights.astype(int))
    assert weighted_silhouette(points, labels, weights) == pytest.approx(
        weighted_silhouette(expanded, expanded_labels, np.ones(len(expanded)))
    )


def test_kmeans_separates_obvious_clusters() -> None:
    rng = np.random.default_rng(3)
    points = np.vstack([rng.normal(0, 0.1, (50, 2)), rng.normal(5, 0.1, (50, 2))])
    _, labels = kmeans(points, 2)
    assert adjusted_rand_index(labels, [0] * 50 + [1] * 50) == 1.0


def test_kmeans_cut_short_returns_its_last_assignment_as_polis_does() -> None:
    """Polis' k-means stops after a fixed number of steps (20 + 1 for the groups) and returns the
    clusters of its last assignment with their means, even where a point is now nearer another
    centre: the groups' boundary is Polis' after as many steps."""
    points = np.array([[0.0], [1.0], [2.0], [10.0], [11.0], [12.0]])
    # started at the first distinct points, 0 and 1: one step puts 1, 2, 10, 11, 12 together
    centers, labels = kmeans(points, 2, max_iterations=1)
    assert labels.tolist() == [0, 1, 1, 1, 1, 1]
    assert centers[:, 0].tolist() == pytest.approx([0.0, 7.2])
    # 1.0 is nearer 0.0 than 7.2, but stays with the cluster it was assigned to
    centers, labels = kmeans(points, 2)
    assert labels.tolist() == [0, 0, 0, 1, 1, 1]
    assert centers[:, 0].tolist() == pytest.approx([1.0, 11.0])


def test_planted_groups_are_found() -> None:
    planted = planted_conversation(participants=300, statements=40, votes=9000, fidelity=0.95, pass_rate=0.05, seed=4)
    opinion = compute_map(planted.matrix)
    placed = opinion.in_conversation
    truth = planted.groups[planted.matrix.participant_ids[placed]]
    assert opinion.n_groups == 3
    assert adjusted_rand_index(truth, opinion.groups[placed]) >= 0.9
    # what the map calls consensus is agreed by every planted group, and most of the planted
    # consensual statements are found
    agreed = {int(planted.matrix.statement_ids[j]) for j in opinion.consensus.agreed}
    assert all(np.all(planted.stances[:, statement] == 1) for statement in agreed)
    assert len(agreed & set(np.flatnonzero(planted.consensual).tolist())) >= 0.8 * planted.consensual.sum()
    # each group's representative statements are ones where its planted stance differs from another group's
    for group, chosen in enumerate(opinion.representative):
        assert chosen
        members = planted.groups[planted.matrix.participant_ids[opinion.groups == group]]
        planted_group = int(np.bincount(members).argmax())
        for item in chosen:
            stance = planted.stances[planted_group, planted.matrix.statement_ids[item.statement]]
            assert stance == (1 if item.agree else -1)


def test_recomputation_keeps_the_map_steady() -> None:
    full = planted_conversation(
        participants=300, statements=40, votes=9000, fidelity=0.95, pass_rate=0.05, seed=5
    ).matrix
    ids = full.participant_ids
    earlier = full.rows < int(full.shape[0] * 0.9)  # the last tenth of the participants comes later
    first = compute_map(
        VoteMatrix.from_votes(ids[full.rows[earlier]], full.statement_ids[full.cols[earlier]], full.values[earlier])
    )
    second = compute_map(full, previous=first.previous())
    # the same plane, the same orientation of the first axis, and the count held
    assert abs(float(np.linalg.det(first.components @ second.components.T))) > 0.9
    assert float(first.components[0] @ second.components[0]) > 0.9
    assert second.group_count is not None and second.group_count.current == first.n_groups == 3


votes_strategy = st.lists(
    st.tuples(st.integers(0, 25), st.integers(0, 9), st.sampled_from([-1, 0, 1])), min_size=1, max_size=220
)


@settings(max_examples=40, deadline=None)
@given(votes_strategy)
def test_properties_on_random_conversations(votes: list[tuple[int, int, int]]) -> None:
    participants, statements, values = zip(*votes, strict=True)
    matrix = VoteMatrix.from_votes(participants, statements, values)
    opinion = compute_map(matrix)
    n_statements = matrix.shape[1]
    threshold = in_conversation_threshold(n_statements)
    # Polis' rule: min(7, statements) votes; while fewer than 15 qualify, the 15 most active come in too
    qualified = opinion.votes >= threshold
    if qualified.sum() >= GREEDY_PARTICIPANTS:
        assert np.array_equal(opinion.in_conversation, qualified)
    else:
        assert np.all(opinion.in_conversation[qualified])
        assert opinion.in_conversation.sum() == min(GREEDY_PARTICIPANTS, matrix.shape[0])
        least_placed = opinion.votes[opinion.in_conversation].min()
        assert np.all(opinion.votes[~opinion.in_conversation] <= least_placed)
    # groups partition exactly the in-conversation participants, none empty
    assert np.all((opinion.groups >= 0) == opinion.in_conversation)
    members = opinion.group_members()
    assert sum(len(group) for group in members) == int(opinion.in_conversation.sum())
    assert all(len(group) for group in members)
    assert 0 <= opinion.n_groups <= 5
    # counts are consistent with the votes of the placed participants
    placed = opinion.in_conversation[matrix.rows]
    assert opinion.seen.sum() == placed.sum()
    assert opinion.agree.sum() == ((matrix.values == 1) & placed).sum()
    assert np.all(opinion.agree + opinion.disagree <= opinion.seen)
    for group in opinion.representative:
        for item in group:
            assert 0.5 < item.probability < 1 and item.probability_z > Z_90 and item.ratio_z > Z_90
    assert set(opinion.consensus.agreed).isdisjoint(opinion.consensus.disagreed)
    assert np.all(np.isfinite(opinion.positions))
