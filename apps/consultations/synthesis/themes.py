"""Themes in a pile of short French texts, offline and deterministic.

Each text becomes a TF-IDF vector of its French stems (:mod:`.french`); the vectors are reduced
by a truncated SVD (latent semantic analysis, which lets « arbre » and « ombre » count as close
when they keep company) and grouped by k-means, with the number of themes chosen by the cosine
silhouette. A theme keeps its key terms (the stems most over-represented in it, shown as written)
and its members ranked by closeness to the theme's centre: the first ones are its representative
quotes. Texts with no meaningful word (« ok », « ? ») are left unclassified, never forced in.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.cluster import KMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import normalize

from apps.consultations.synthesis.french import Stemmer

MAX_THEMES = 8
KEY_TERMS = 6
QUOTES = 3
# Fewer texts than this: one theme, nothing to cluster.
MIN_TEXTS = 8
# Few dimensions on purpose: short texts share few words, and a small latent space is what lets
# co-occurring words (« piste », « cyclable », « vélo ») pull their texts together.
SVD_DIMENSIONS = 10
# The silhouette is estimated on a sample past this size (it is quadratic).
SILHOUETTE_SAMPLE = 3000

Progress = Callable[[int], None]


@dataclass(frozen=True)
class Theme:
    members: list[int]  # indices of the texts, closest to the theme's centre first
    closeness: list[float]  # cosine to the centre, same order
    key_terms: list[str]
    representative: list[int]  # the closest members that say different things (quotes)


@dataclass(frozen=True)
class Themes:
    themes: list[Theme]  # largest first
    unclassified: list[int]
    silhouette: float | None
    vocabulary: int


def find_themes(
    texts: Sequence[str],
    *,
    n_themes: int | None = None,
    max_themes: int = MAX_THEMES,
    seed: int = 0,
    progress: Progress | None = None,
) -> Themes:
    """Themes of ``texts``: ``n_themes`` of them, or as many (2 to ``max_themes``) as the best
    cosine silhouette says when it is None."""
    report = progress or (lambda percent: None)
    stemmer = Stemmer()
    analysed = [stemmer.terms(text) for text in texts]
    usable = [i for i, terms in enumerate(analysed) if terms]
    unclassified = [i for i, terms in enumerate(analysed) if not terms]
    if not usable:
        return Themes([], unclassified, None, 0)
    vectorizer = TfidfVectorizer(
        analyzer=lambda i: analysed[i],
        min_df=2 if len(usable) >= 20 else 1,
        max_df=0.5 if len(usable) >= 20 else 1.0,
        sublinear_tf=True,
    )
    try:
        tfidf = vectorizer.fit_transform(usable)
    except ValueError:  # every term was too rare or too common
        return Themes([], unclassified + usable, None, 0)
    # Texts left without any kept term join the unclassified.
    has_terms = np.asarray(tfidf.getnnz(axis=1) > 0)
    unclassified += [i for i, keep in zip(usable, has_terms, strict=True) if not keep]
    usable = [i for i, keep in zip(usable, has_terms, strict=True) if keep]
    tfidf = tfidf[has_terms]
    terms = vectorizer.get_feature_names_out()
    report(20)
    points = _reduced(tfidf, seed)
    report(35)
    candidates = [n_themes] if n_themes else list(range(2, max_themes + 1))
    labels, score = _best_partition(points, candidates, seed, report)
    report(90)
    themes = [
        _theme(members, points, tfidf, terms, stemmer, usable, labels, analysed)
        for members in (np.flatnonzero(labels == label) for label in np.unique(labels))
    ]
    themes.sort(key=lambda theme: (-len(theme.members), theme.members[0]))
    report(100)
    return Themes(themes, sorted(unclassified), score, len(terms))


def _reduced(tfidf: object, seed: int) -> np.ndarray:
    n_texts, n_terms = tfidf.shape  # type: ignore[attr-defined]
    dimensions = min(SVD_DIMENSIONS, n_terms - 1, n_texts - 1)
    if dimensions < 2:
        return np.asarray(tfidf.toarray())  # type: ignore[attr-defined]
    reduced = TruncatedSVD(n_components=dimensions, random_state=seed).fit_transform(tfidf)
    return np.asarray(normalize(reduced))


def _best_partition(
    points: np.ndarray, candidates: list[int], seed: int, report: Progress
) -> tuple[np.ndarray, float | None]:
    """k-means for each candidate k (at most one theme per 4 texts), kept the k of the best
    cosine silhouette."""
    n = points.shape[0]
    candidates = [k for k in candidates if 2 <= k <= n // 4]
    if n < MIN_TEXTS or not candidates:
        return np.zeros(n, dtype=int), None
    # k-means restarts: many for one asked k, fewer when scanning k (the silhouette needs a good
    # partition per k, not the best one), fewer still on large piles.
    restarts = (20 if len(candidates) == 1 else 8) if n <= 20_000 else 3
    best: tuple[float, np.ndarray] | None = None
    for step, k in enumerate(candidates, start=1):
        labels = KMeans(n_clusters=k, n_init=restarts, random_state=seed).fit_predict(points)
        if len(np.unique(labels)) < 2:
            continue
        sample = min(n, SILHOUETTE_SAMPLE)
        score = float(silhouette_score(points, labels, metric="cosine", sample_size=sample, random_state=seed))
        if best is None or score > best[0] + 1e-9:
            best = (score, labels)
        report(35 + 55 * step // len(candidates))
    if best is None:
        return np.zeros(n, dtype=int), None
    return best[1], best[0]


def _theme(
    members: np.ndarray,
    points: np.ndarray,
    tfidf: object,
    terms: np.ndarray,
    stemmer: Stemmer,
    usable: list[int],
    labels: np.ndarray,
    analysed: list[list[str]],
) -> Theme:
    centre = normalize(points[members].mean(axis=0, keepdims=True))[0]
    closeness = points[members] @ centre
    order = np.argsort(-closeness, kind="stable")
    inside = np.asarray(tfidf[members].mean(axis=0)).ravel()  # type: ignore[index]
    outside_rows = np.flatnonzero(labels != labels[members[0]])
    outside = np.asarray(tfidf[outside_rows].mean(axis=0)).ravel() if len(outside_rows) else 0.0  # type: ignore[index]
    lift = inside - outside
    top = [int(t) for t in np.argsort(-lift, kind="stable")[:KEY_TERMS] if lift[t] > 0]
    ranked = [usable[int(members[i])] for i in order]
    quotes: list[int] = []
    said: set[frozenset[str]] = set()
    for index in ranked:  # near-duplicates (same words, other politeness) are quoted once
        words = frozenset(analysed[index])
        if words not in said:
            said.add(words)
            quotes.append(index)
        if len(quotes) == QUOTES:
            break
    return Theme(
        members=ranked,
        representative=quotes,
        closeness=[round(float(closeness[i]), 4) for i in order],
        key_terms=stemmer.labels(str(terms[t]) for t in top),
    )
