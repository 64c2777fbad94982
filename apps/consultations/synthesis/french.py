"""French text as the clustering reads it: words lower-cased, elisions split (« l'école » →
« école »), stop words dropped, each word reduced to its Snowball stem so that « arbres »,
« arbre » and « arborés »… at least the first two count as one term. Labels show, for each stem,
the form people wrote most often."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable

import snowballstemmer

# Words that say nothing about a theme: articles, pronouns, auxiliaries, connectors, and the
# vocabulary every contribution to a city shares (« ville », « faut », « plus »…).
STOP_WORDS = frozenset(
    """
    a à afin ai aie aient aies ait alors as au aucun aucune aupres auquel aura aurai auraient aurais
    aurait auras aurez auriez aurions aurons auront aussi autre autres aux auxquelles auxquels avaient
    avais avait avant avec avez aviez avions avoir avons ayant ayez ayons bah beaucoup bien bon c ça
    car ce ceci cela celle celles celui cependant certain certaine certaines certains ces cet cette ceux
    chacun chacune chaque chez ci comme comment d dans de des desquelles desquels dessous dessus deux
    dois doit doivent donc dont du duquel durant elle elles en encore entre es est et étaient étais
    était étant été êtes étiez étions être eu eue eues eûmes eurent eus eut eux faire fais fait faites
    faut faudrait fois font furent fut ici il ils j je jusqu jusque l la là laquelle le lequel les
    lesquelles lesquels leur leurs lui m ma mais me même mêmes mes moi moins mon n ne ni non nos notre
    nous on ont ou où par parce pas peu peut peuvent plupart plus plusieurs pour pourquoi pourrait
    pouvoir puis qu quand que quel quelle quelles quelqu quelque quelques quels qui quoi rien s sa sans
    se sera serait ses seul seule si sien soi soient sois soit sommes son sont sous soyez soyons suis
    sur t ta tandis te tes toi ton tous tout toute toutes très trop tu un une unes uns vers veut voir
    vont vos votre vous vraiment y
    ville quartier quartiers gens chose choses cas faudra falloir devrait devraient doit idée
    mettre avoir être aller vais va vont faire fait rendre rend souvent jamais toujours déjà
    avis pense pensons trouve trouvons franchement merci urgent urgence plaît bien mieux serait
    souhaite souhaitons aimerais voudrais voudrions important besoin habitant habitante habitants
    habitantes depuis ans vingt trente dix deux trois moi aujourd hui plus urgent voisins voisines
    devant derrière près autour après pendant contre lieu jours part sinon ainsi surtout certes
    """.split()  # noqa: SIM905  (a word list reads better as text)
)

ELISION = re.compile(r"\b(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu|quoiqu)['’]", re.IGNORECASE)
WORD = re.compile(r"[a-zà-öø-ÿœæ]+(?:-[a-zà-öø-ÿœæ]+)*")
MIN_LENGTH = 3


def _fold(text: str) -> str:
    """Lower case, œ/æ spelled out, typographic apostrophes made plain: « Œuvre » → « oeuvre »."""
    return unicodedata.normalize("NFC", text).lower().replace("œ", "oe").replace("æ", "ae").replace("’", "'")


def words(text: str) -> list[str]:
    """The meaningful words of a text, as written (lower-cased), stop words out."""
    folded = ELISION.sub(" ", _fold(text))
    return [w for w in WORD.findall(folded) if len(w) >= MIN_LENGTH and w not in STOP_WORDS]


def singular(word: str) -> str:
    """A light plural fold before stemming, for the plurals Snowball keeps (« vélos », « bus » aside)."""
    if word.endswith("aux") and len(word) > 4:
        return word[:-3] + "al"
    if word.endswith(("s", "x")) and not word.endswith(("ss", "us", "is")) and len(word) > 4:
        return word[:-1]
    return word


class Stemmer:
    """Stems words and remembers which written forms each stem came from (for readable labels)."""

    def __init__(self) -> None:
        self._stemmer = snowballstemmer.stemmer("french")
        self._forms: defaultdict[str, Counter[str]] = defaultdict(Counter)

    def terms(self, text: str) -> list[str]:
        found = words(text)
        stems: list[str] = self._stemmer.stemWords([singular(word) for word in found])
        for stem, form in zip(stems, found, strict=True):
            self._forms[stem][form] += 1
        return stems

    def label(self, stem: str) -> str:
        forms = self._forms.get(stem)
        return forms.most_common(1)[0][0] if forms else stem

    def labels(self, stems: Iterable[str]) -> list[str]:
        return [self.label(stem) for stem in stems]
