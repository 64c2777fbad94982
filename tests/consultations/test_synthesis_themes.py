"""The French clustering behind the synthesis, on a realistic corpus with planted topics (no
database): topics come out as themes, labels are readable French, the result is a partition and
is the same from one run to the next."""

from __future__ import annotations

from collections import Counter

from sklearn.metrics import adjusted_rand_score

from apps.consultations.synthesis.french import Stemmer, singular, words
from apps.consultations.synthesis.themes import find_themes
from tests.consultations.french_corpus import TOPICS, corpus


def test_words_drop_elisions_stop_words_and_fold_plurals() -> None:
    assert words("L'école n'a pas d'arbres, qu'on plante des tilleuls !") == ["école", "arbres", "plante", "tilleuls"]
    assert singular("vélos") == "vélo" and singular("journaux") == "journal" and singular("bus") == "bus"
    stemmer = Stemmer()
    assert stemmer.terms("les arbres") == stemmer.terms("un arbre")
    assert stemmer.terms("Des vélos") == stemmer.terms("mon vélo")
    # Labels show a written form, not a stem.
    (stem,) = stemmer.terms("poubelles")
    assert stem != "poubelles" and stemmer.label(stem) == "poubelles"


def _labels(n: int, themes: list[list[int]]) -> list[int]:
    labels = [-1] * n
    for label, members in enumerate(themes):
        for index in members:
            labels[index] = label
    return labels


def test_planted_topics_come_out_as_themes() -> None:
    texts, topics = corpus(per_topic=40)
    result = find_themes([*texts, "Ok.", "???"], n_themes=5)
    assert len(result.themes) == 5
    assert result.unclassified == [len(texts), len(texts) + 1]
    labels = _labels(len(texts), [[i for i in theme.members if i < len(texts)] for theme in result.themes])
    assert -1 not in labels
    assert adjusted_rand_score(topics, labels) >= 0.6
    # Each planted topic is the majority of its own theme.
    majorities = [Counter(topics[i] for i in theme.members).most_common(1)[0][0] for theme in result.themes]
    assert sorted(majorities) == sorted(TOPICS)
    by_topic = dict(zip(majorities, result.themes, strict=True))
    assert {"piste", "vélos", "cyclable"} & set(by_topic["vélo"].key_terms)
    assert "bruit" in by_topic["bruit"].key_terms
    # Quotes: at most three, from the theme, saying different things.
    for theme in result.themes:
        assert 1 <= len(theme.representative) <= 3
        assert set(theme.representative) <= set(theme.members)
        quoted = [frozenset(words(texts[i])) for i in theme.representative]
        assert len(set(quoted)) == len(quoted)
        assert theme.closeness == sorted(theme.closeness, reverse=True)


def test_automatic_number_of_themes_partitions_the_texts_and_is_deterministic() -> None:
    texts, _topics = corpus(per_topic=15, seed=3)
    texts = [*texts, "Merci !", "Je pense que oui."]
    first = find_themes(texts, max_themes=6)
    second = find_themes(texts, max_themes=6)
    assert 2 <= len(first.themes) <= 6
    seen = [i for theme in first.themes for i in theme.members] + first.unclassified
    assert sorted(seen) == list(range(len(texts)))
    assert [t.members for t in first.themes] == [t.members for t in second.themes]
    assert [t.key_terms for t in first.themes] == [t.key_terms for t in second.themes]
    sizes = [len(t.members) for t in first.themes]
    assert sizes == sorted(sizes, reverse=True)


def test_too_few_texts_make_one_theme_and_nothing_makes_none() -> None:
    few = find_themes(["Plus d'arbres place du marché.", "Des arbres et de l'ombre.", "Des bancs à l'ombre."])
    assert len(few.themes) == 1 and sorted(few.themes[0].members) == [0, 1, 2]
    assert find_themes([]).themes == []
    assert find_themes(["ok", "?"]).unclassified == [0, 1]
