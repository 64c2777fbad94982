"""French content of the demo city (Nantes). Pure data, no database access.

The texts are combinatorial templates: a seeded RNG picks among them, so the demo is
varied but identical from one build to the next with the same seed.
"""

from __future__ import annotations

from typing import Any

# name, population (approx.), QPV population (None when no priority area), centre (lat, lon),
# places used in proposals, presentation.
QUARTIERS: list[dict[str, Any]] = [
    {
        "name": "Centre-ville",
        "population": 19000,
        "qpv": None,
        "centre": (47.2150, -1.5560),
        "places": [
            "place du Commerce",
            "rue Crébillon",
            "cours des Cinquante-Otages",
            "place Royale",
            "square Daviais",
            "place du Bouffay",
        ],
        "description": "Cœur historique et commerçant, du Bouffay au cours Cambronne.",
    },
    {
        "name": "Bellevue - Chantenay - Sainte-Anne",
        "population": 36000,
        "qpv": 6500,
        "centre": (47.2060, -1.6000),
        "places": [
            "place Mendès-France",
            "boulevard Jean-Moulin",
            "butte Sainte-Anne",
            "bas-Chantenay",
            "square Maurice-Schwob",
            "rue de la Mutualité",
        ],
        "description": "Entre Loire et coteaux, un quartier ouvrier en pleine transformation, avec le "
        "quartier prioritaire de Bellevue partagé avec Saint-Herblain.",
    },
    {
        "name": "Dervallières - Zola",
        "population": 21000,
        "qpv": 5000,
        "centre": (47.2200, -1.5900),
        "places": [
            "parc des Dervallières",
            "place Émile-Zola",
            "rue Jean-Baptiste-Corot",
            "boulevard de l'Égalité",
            "rue des Dervallières",
        ],
        "description": "Un grand parc, des tours renouvelées et un tissu associatif très vivant.",
    },
    {
        "name": "Hauts-Pavés - Saint-Félix",
        "population": 26000,
        "qpv": None,
        "centre": (47.2330, -1.5600),
        "places": [
            "rue des Hauts-Pavés",
            "boulevard Michelet",
            "quai de Versailles",
            "rue de Saint-Félix",
            "square Élisa-Mercœur",
        ],
        "description": "Quartier résidentiel autour de l'Erdre et du canal Saint-Félix.",
    },
    {
        "name": "Malakoff - Saint-Donatien",
        "population": 29000,
        "qpv": 4200,
        "centre": (47.2180, -1.5300),
        "places": [
            "rue de Malakoff",
            "pont Éric-Tabarly",
            "rue Saint-Donatien",
            "pré Gauchet",
            "boulevard de Berlin",
            "parc de la Roche",
        ],
        "description": "De la cité Malakoff au bord de Loire jusqu'au vieux bourg de Saint-Donatien.",
    },
    {
        "name": "Île de Nantes",
        "population": 20000,
        "qpv": None,
        "centre": (47.2050, -1.5500),
        "places": [
            "quai des Antilles",
            "parc des Chantiers",
            "boulevard Léon-Bureau",
            "rue de la Tour-d'Auvergne",
            "place de la République",
        ],
        "description": "Ancienne île industrielle devenue quartier de la création et de la santé.",
    },
    {
        "name": "Breil - Barberie",
        "population": 20000,
        "qpv": 3500,
        "centre": (47.2430, -1.5850),
        "places": [
            "rue du Breil",
            "place de la Barberie",
            "parc de la Gaudinière",
            "boulevard Pierre-de-Coubertin",
            "rue Jules-Noël",
        ],
        "description": "Quartier d'habitat social et pavillonnaire, riche en équipements sportifs.",
    },
    {
        "name": "Nantes Nord",
        "population": 25000,
        "qpv": 11000,
        "centre": (47.2560, -1.5600),
        "places": [
            "la Boissière",
            "le Petit-Port",
            "boulevard Le Corbusier",
            "avenue du Bout-des-Landes",
            "place de la Petite-Sensive",
            "le Cardo",
        ],
        "description": "Le quartier le plus jeune de Nantes, avec plusieurs quartiers prioritaires.",
    },
    {
        "name": "Nantes Erdre",
        "population": 31000,
        "qpv": None,
        "centre": (47.2500, -1.5250),
        "places": ["bords de l'Erdre", "parc de la Beaujoire", "la Jonelière", "Ranzay", "route de Saint-Joseph"],
        "description": "Des bords de l'Erdre à la Beaujoire, un quartier vert et étendu.",
    },
    {
        "name": "Doulon - Bottière",
        "population": 32000,
        "qpv": 5500,
        "centre": (47.2270, -1.5050),
        "places": [
            "parc du Grand-Blottereau",
            "place de la Bottière",
            "rue de la Basse-Chênaie",
            "route de Sainte-Luce",
            "boulevard des Poilus",
        ],
        "description": "Vieux bourg de Doulon, cité de la Bottière et grands parcs à l'est de la ville.",
    },
    {
        "name": "Nantes Sud",
        "population": 17000,
        "qpv": None,
        "centre": (47.1920, -1.5350),
        "places": ["Pirmil", "bords de Sèvre", "rue Saint-Jacques", "le Clos-Toreau", "place Pirmil"],
        "description": "Sud-Loire, entre Pirmil, Saint-Jacques et les bords de Sèvre.",
    },
]

THEMES = [
    ("Mobilités", "mobilites"),
    ("Nature en ville", "nature-en-ville"),
    ("Solidarités", "solidarites"),
    ("Culture", "culture"),
    ("Sport", "sport"),
    ("Propreté", "proprete"),
    ("Jeunesse", "jeunesse"),
    ("Alimentation", "alimentation"),
    ("Tranquillité publique", "tranquillite-publique"),
    ("Éducation", "education"),
]

SERVICES = [
    "Direction du dialogue citoyen",
    "Direction des espaces verts et de l'environnement",
    "Direction des mobilités",
    "Direction de la propreté",
    "Direction des sports",
    "Direction de la culture",
    "Direction de l'éducation",
    "Direction de la tranquillité publique",
    "Direction des solidarités",
    "Pôle de proximité",
]


def service_words(name: str) -> dict[str, str]:
    """The ``{service}`` / ``{Service}`` of the answer texts, with the right article:
    « la direction des mobilités », « le pôle de proximité » (not « la pôle »)."""
    words = f"{'le' if name.startswith('Pôle') else 'la'} {name[0].lower()}{name[1:]}"
    return {"service": words, "Service": words[0].upper() + words[1:]}


# Which service instructs which theme.
THEME_SERVICE = {
    "mobilites": "Direction des mobilités",
    "nature-en-ville": "Direction des espaces verts et de l'environnement",
    "solidarites": "Direction des solidarités",
    "culture": "Direction de la culture",
    "sport": "Direction des sports",
    "proprete": "Direction de la propreté",
    "jeunesse": "Pôle de proximité",
    "alimentation": "Direction des espaces verts et de l'environnement",
    "tranquillite-publique": "Direction de la tranquillité publique",
    "education": "Direction de l'éducation",
}

# Proposal titles per theme; ``{lieu}`` is a place of the quartier.
TITLES: dict[str, list[str]] = {
    "mobilites": [
        "Sécuriser le passage piéton {lieu}",
        "Une piste cyclable continue {lieu}",
        "Des arceaux vélos {lieu}",
        "Passer à 30 km/h {lieu}",
        "Élargir les trottoirs {lieu}",
        "Un abri vélo sécurisé {lieu}",
        "Mieux éclairer le chemin piéton {lieu}",
    ],
    "nature-en-ville": [
        "Planter des arbres fruitiers {lieu}",
        "Un jardin partagé {lieu}",
        "Désimperméabiliser la cour {lieu}",
        "Des bancs à l'ombre {lieu}",
        "Un îlot de fraîcheur {lieu}",
        "Végétaliser les pieds d'immeubles {lieu}",
        "Une prairie fleurie pour les pollinisateurs {lieu}",
    ],
    "solidarites": [
        "Une boîte à dons {lieu}",
        "Un café solidaire {lieu}",
        "Une permanence d'accès aux droits {lieu}",
        "Des ateliers numériques pour les aînés {lieu}",
        "Un frigo solidaire {lieu}",
        "Une laverie solidaire {lieu}",
    ],
    "culture": [
        "Des concerts gratuits l'été {lieu}",
        "Une boîte à livres {lieu}",
        "Une fresque participative {lieu}",
        "Du cinéma en plein air {lieu}",
        "Un lieu de répétition pour les groupes amateurs {lieu}",
    ],
    "sport": [
        "Un terrain de basket rénové {lieu}",
        "Des agrès de sport en accès libre {lieu}",
        "Un parcours de course balisé {lieu}",
        "Une table de ping-pong {lieu}",
        "Un skatepark {lieu}",
    ],
    "proprete": [
        "Plus de poubelles de tri {lieu}",
        "Un composteur collectif {lieu}",
        "Des cendriers de rue {lieu}",
        "Une opération de nettoyage citoyenne {lieu}",
        "Lutter contre les dépôts sauvages {lieu}",
    ],
    "jeunesse": [
        "Un lieu pour les 15-25 ans {lieu}",
        "Des chantiers jeunes l'été {lieu}",
        "Un espace de travail pour les étudiants {lieu}",
        "Une aire de jeux pour les 6-12 ans {lieu}",
    ],
    "alimentation": [
        "Un marché de producteurs {lieu}",
        "Une épicerie participative {lieu}",
        "Des potagers au pied des tours {lieu}",
        "Une cuisine partagée {lieu}",
    ],
    "tranquillite-publique": [
        "Apaiser les nuits {lieu}",
        "Une présence de médiateurs le soir {lieu}",
        "Réduire le bruit des deux-roues {lieu}",
    ],
    "education": [
        "Une rue aux écoles {lieu}",
        "Ouvrir la cour d'école le samedi {lieu}",
        "Un accompagnement aux devoirs {lieu}",
    ],
}

PROBLEMS = [
    "Aujourd'hui, beaucoup de familles passent ici chaque jour et rien n'est prévu pour elles.",
    "Le lieu est peu utilisé alors qu'il pourrait rassembler les habitantes et les habitants.",
    "Plusieurs voisins m'en ont parlé lors du dernier rendez-vous citoyen du quartier.",
    "L'été, il fait très chaud et il n'y a presque pas d'ombre.",
    "Les enfants et les personnes âgées ne s'y sentent pas en sécurité.",
    "Les associations du quartier cherchent depuis longtemps une solution.",
    "Le soir, l'endroit est sombre et on l'évite.",
    "Il n'existe rien de comparable à moins de vingt minutes à pied.",
]
ACTIONS = [
    "Je propose de commencer par un essai de six mois, puis de faire le bilan avec les riverains.",
    "Les habitants sont prêts à s'impliquer : entretien, animation, permanence.",
    "L'école et la maison de quartier pourraient porter le projet avec nous.",
    "Cela ne demande pas de gros travaux, surtout de la coordination.",
    "On pourrait s'inspirer de ce qui a été fait dans un autre quartier de Nantes.",
    "Un atelier avec les habitants permettrait de choisir l'emplacement exact.",
]
BENEFITS = [
    "Ce serait un vrai plus pour le **vivre ensemble**.",
    "Cela profiterait d'abord aux personnes qui ont le moins de moyens.",
    "Le quartier y gagnerait en fraîcheur et en convivialité.",
    "Ce serait l'occasion de faire *avec* les habitants et non *pour* eux.",
    "Cela ferait du lien entre les générations.",
]

COMMENTS = {
    "agree": [
        "Tout à fait d'accord, on en parle depuis longtemps entre voisins.",
        "Excellente idée, je suis prête à donner un coup de main.",
        "Oui ! Mes enfants passent là tous les jours.",
        "Je soutiens, à condition d'associer les commerçants.",
        "Bonne idée, et pas très coûteuse.",
    ],
    "disagree": [
        "Je ne suis pas sûr que ce soit le bon endroit : il y a déjà du bruit le soir.",
        "Il faudrait d'abord entretenir ce qui existe.",
        "Attention au stationnement, il manque déjà des places.",
        "Je crains que cela attire des nuisances.",
    ],
    "neutral": [
        "Est-ce que quelqu'un sait combien cela coûterait ?",
        "Il faudrait en parler au prochain conseil de quartier.",
        "Qui s'occuperait de l'entretien ensuite ?",
        "Une réunion publique sur place permettrait de trancher.",
    ],
}
REPLIES = [
    "Bonne question, la maison de quartier pourrait nous renseigner.",
    "Je pense qu'un essai permettrait de voir.",
    "Merci pour la remarque, je vais compléter la proposition.",
    "On pourrait en discuter au prochain rendez-vous citoyen.",
]
HIDDEN_COMMENT = "Ceux qui proposent ça sont des idiots, ils n'ont qu'à déménager."
HIDDEN_REASON = "Propos injurieux envers d'autres participants (charte de participation, article 3)."

ANSWERS = {
    "accepted": [
        "Merci pour cette proposition. Après étude par {service}, elle est **retenue** : elle est compatible "
        "avec le budget du quartier et répond à un besoin partagé par de nombreux habitants. Les travaux sont "
        "programmés ; vous pourrez en suivre l'avancement sur la page de suivi des engagements.",
        "La Ville retient cette proposition. {Service} a vérifié sa faisabilité technique et un atelier "
        "avec les riverains permettra d'en préciser l'emplacement et les usages avant la réalisation.",
    ],
    "partly_accepted": [
        "Cette proposition est **retenue en partie**. {Service} ne peut pas réaliser l'ensemble du projet "
        "dans le budget disponible, mais une première partie sera engagée cette année. Le reste sera étudié "
        "lors de la prochaine programmation.",
        "Une partie de la proposition est retenue : l'emplacement proposé pose des contraintes techniques "
        "(réseaux souterrains), {service} propose un lieu voisin qui sera présenté en conseil de quartier.",
    ],
    "not_retained": [
        "Cette proposition n'est **pas retenue**. Elle relève d'une compétence de Nantes Métropole qui n'entre "
        "pas dans le périmètre de cette démarche. Nous l'avons transmise au service concerné, qui vous répondra.",
        "Après étude, {service} ne retient pas cette proposition : un projet similaire est déjà programmé à "
        "proximité. Nous vous invitons à rejoindre le groupe de travail qui le prépare.",
        "La proposition n'est pas retenue car son coût dépasse l'enveloppe fixée dans les règles du jeu. "
        "Elle pourra être reformulée lors d'une prochaine démarche.",
    ],
    "done": [
        "Proposition retenue et **réalisée**. Merci aux habitantes et habitants qui ont participé au chantier "
        "avec {service}.",
    ],
}
UPDATES = [
    "Étude de faisabilité lancée par {service}.",
    "Atelier sur place avec les riverains : l'emplacement est choisi.",
    "Consultation des entreprises en cours.",
    "Travaux démarrés, fin prévue dans quelques semaines.",
    "Retard dû à la livraison du matériel ; nouvelle date communiquée au conseil de quartier.",
    "Réalisation terminée, inauguration avec les habitants.",
]

FIRST_NAMES = [
    "Awa",
    "Bruno",
    "Chloé",
    "Djamel",
    "Élise",
    "Fatou",
    "Gaël",
    "Hélène",
    "Inès",
    "Jules",
    "Karim",
    "Léa",
    "Mathis",
    "Nadia",
    "Olivier",
    "Pauline",
    "Quentin",
    "Rachida",
    "Samuel",
    "Tiphaine",
    "Ulysse",
    "Valérie",
    "Wassim",
    "Yasmine",
    "Zoé",
    "Anne",
    "Baptiste",
    "Coralie",
    "Denis",
    "Emma",
    "Farid",
    "Gwenaëlle",
    "Hugo",
    "Ibrahima",
    "Jeanne",
    "Kevin",
    "Lucie",
    "Mohamed",
    "Nathalie",
    "Pierre",
]
LAST_INITIALS = "ABCDEFGHJKLMNOPRSTV"

PAPER_AUTHORS = ["Mme Josiane Le Goff", "M. Bernard Guérin", "Mme Yvette Moreau", "M. Abdel Kader Benali"]
