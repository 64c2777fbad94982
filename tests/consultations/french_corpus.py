"""A realistic corpus of residents' free-text contributions about a quartier, in French, with five
planted topics: cleanliness, cycling, night safety, green spaces and noise. Hand-written sentences
plus variants built from everyday openers and endings, so that no two texts are the same and the
topics share their grammar and their common words (« rue », « place », « enfants »…)."""

from __future__ import annotations

import random

TOPICS: dict[str, list[str]] = {
    "propreté": [
        "les poubelles débordent tous les week-ends rue de la Bastille",
        "il y a des dépôts sauvages de déchets au pied des immeubles",
        "le ramassage des poubelles devrait passer deux fois par semaine",
        "les trottoirs sont sales et pleins de déchets après le marché",
        "il manque des poubelles de tri près de l'arrêt de tram",
        "les encombrants et les déchets restent des semaines sur le trottoir",
        "il faudrait des composteurs collectifs pour réduire les déchets",
        "les crottes de chien rendent les trottoirs sales autour de l'école",
        "les conteneurs à verre sont toujours pleins et sales",
        "nettoyer la place pleine de déchets après le marché du samedi",
        "les mégots et les déchets jonchent les trottoirs, c'est sale",
        "des sacs d'ordures éventrés traînent près des conteneurs",
    ],
    "vélo": [
        "les pistes cyclables s'arrêtent brutalement au carrefour",
        "il faut des arceaux pour garer les vélos devant la médiathèque",
        "une piste cyclable séparée des voitures sur le boulevard",
        "à vélo, aucune piste sécurisée pour aller au lycée",
        "prévoir un garage à vélos fermé près de la gare",
        "les vélos cargos ne passent pas les chicanes de la piste",
        "des pistes cyclables continues jusqu'au centre-ville",
        "je n'ose pas laisser mes enfants aller à l'école à vélo sans piste",
        "les voitures stationnent sur la piste cyclable",
        "il faudrait des stations de vélos en libre-service dans le quartier",
        "un atelier de réparation de vélos solidaire pour les habitants",
        "les arceaux à vélos sont toujours pris, il en faut davantage",
    ],
    "sécurité": [
        "l'éclairage est trop faible la nuit dans le passage souterrain",
        "on ne se sent pas en sécurité le soir près de la gare",
        "des lampadaires en panne depuis des mois rue des Tilleuls",
        "il faut plus d'éclairage sur le chemin entre le tram et les immeubles",
        "les femmes évitent le parc la nuit faute d'éclairage",
        "une présence de médiateurs la nuit contre l'insécurité",
        "le deal au pied de l'immeuble crée un sentiment d'insécurité",
        "éclairer le parking souterrain qui est très sombre la nuit",
        "les rodéos la nuit créent de l'insécurité pour les piétons",
        "insécurité la nuit près de l'arrêt de bus, des agressions ont eu lieu",
        "rallumer l'éclairage et les lampadaires éteints après minuit",
        "la nuit le passage sans éclairage derrière le centre commercial fait peur",
    ],
    "verdure": [
        "planter des arbres pour avoir de l'ombre l'été sur la place",
        "transformer le parking en jardin partagé",
        "il manque des espaces verts et des bancs à l'ombre",
        "créer un parc avec des arbres fruitiers et des jeux",
        "planter des arbres dans la cour de l'école qui est une fournaise l'été",
        "des jardins partagés au pied des immeubles pour les familles",
        "remplacer le bitume par des pelouses et des arbres",
        "les arbres abattus n'ont jamais été replantés",
        "un jardin potager collectif dans le square serait convivial",
        "plus de verdure, de fleurs et d'arbres dans les rues minérales",
        "ouvrir le parc plus tard le soir en été",
        "protéger les vieux arbres du square pendant les travaux",
    ],
    "bruit": [
        "le bruit des bars la nuit empêche de dormir",
        "les livraisons à cinq heures du matin font un bruit terrible",
        "le bruit de la musique sur la place jusqu'à deux heures du matin",
        "le bruit du périphérique est insupportable, il faut un mur antibruit",
        "le bruit des terrasses tard le soir gêne les riverains",
        "le bruit des klaxons et des motos dans la rue principale",
        "des fêtes tous les week-ends avec de la musique et du bruit",
        "le chantier commence trop tôt et fait un bruit énorme",
        "limiter le bruit des scooters trafiqués",
        "les riverains ne dorment plus à cause du bruit des soirées",
        "installer des sonomètres contre le bruit près des bars",
        "le bruit des camions tôt le matin",
    ],
}

OPENERS = [
    "",
    "À mon avis, ",
    "Franchement, ",
    "Je pense que ",
    "Habitante depuis vingt ans : ",
    "Pour moi le plus urgent : ",
    "Comme beaucoup de voisins, je trouve que ",
    "Ce serait bien si ",
]
ENDINGS = ["", ".", " !", ", merci.", ", c'est urgent.", " s'il vous plaît.", ", vraiment."]


def corpus(per_topic: int = 40, seed: int = 7) -> tuple[list[str], list[str]]:
    """``per_topic`` texts per topic, shuffled: (texts, planted topic of each)."""
    rng = random.Random(seed)
    texts: list[str] = []
    topics: list[str] = []
    for topic, sentences in TOPICS.items():
        seen: set[str] = set()
        while len([t for t in topics if t == topic]) < per_topic:
            text = f"{rng.choice(OPENERS)}{rng.choice(sentences)}{rng.choice(ENDINGS)}"
            text = text[0].upper() + text[1:]
            if text in seen:
                continue
            seen.add(text)
            texts.append(text)
            topics.append(topic)
    order = list(range(len(texts)))
    rng.shuffle(order)
    return [texts[i] for i in order], [topics[i] for i in order]
