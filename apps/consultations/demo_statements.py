"""The statements of the demo conversation on the place du marché of Zola (a Nantes-like
quartier), each with its topic and the stance of the three planted opinion groups:
« apaisée » (fewer cars, more trees), « commerçante » (access and parking for the shops) and
« familles » (quiet, safety, children). +1 agrees, -1 disagrees, 0 splits the group."""

from __future__ import annotations

# (topic, text, stances of the groups apaisée, commerçante, familles)
STATEMENTS: list[tuple[str, str, tuple[int, int, int]]] = [
    ("circulation", "La place du marché devrait être piétonne tous les jours.", (1, -1, 0)),
    ("circulation", "Il faut garder le stationnement autour de la place pour les clients des commerces.", (-1, 1, 0)),
    ("circulation", "Les voitures devraient rouler à 20 km/h devant l'école de la rue Zola.", (1, -1, 1)),
    ("circulation", "Les voitures traversent la place trop vite le soir.", (1, 0, 1)),
    ("circulation", "Un parking relais près du tram soulagerait la place des voitures.", (1, 1, 1)),
    ("circulation", "Supprimer le stationnement de la rue du marché serait une erreur.", (-1, 1, 1)),
    ("circulation", "Les voitures de livraison devraient passer avant dix heures.", (1, -1, 1)),
    ("circulation", "Un sens unique rue des Dervallières calmerait la circulation des voitures.", (1, -1, 1)),
    ("circulation", "Les personnes âgées doivent garder du stationnement près de la place.", (-1, 1, 1)),
    ("vélo", "Une piste cyclable séparée des voitures doit relier la place au tram.", (1, -1, 1)),
    ("vélo", "Il manque des arceaux à vélos devant les commerces de la place.", (1, 0, 1)),
    ("vélo", "Les vélos roulent trop vite sur la place les jours de marché.", (-1, 1, 1)),
    ("vélo", "Un garage à vélos fermé pour les habitants des immeubles de la place.", (1, 0, 1)),
    ("vélo", "Les pistes cyclables prennent trop de place aux camions de livraison.", (-1, 1, -1)),
    ("vélo", "Un atelier de réparation de vélos solidaire le samedi.", (1, 0, -1)),
    ("verdure", "Il faut planter des arbres sur la place pour avoir de l'ombre l'été.", (1, 0, 1)),
    ("verdure", "Remplacer une partie du parking par un jardin partagé et des arbres.", (1, -1, 0)),
    ("verdure", "Des bancs à l'ombre des arbres pour se reposer.", (1, 1, 1)),
    ("verdure", "Les arbres gêneraient les étals et les camions du marché.", (-1, 1, -1)),
    ("verdure", "Une fontaine et de la verdure pour rafraîchir la place l'été.", (1, 0, 1)),
    ("verdure", "Moins de bitume, plus de verdure et de pelouse sur la place.", (1, -1, -1)),
    ("verdure", "Des jardinières fleuries et de la verdure devant les commerces.", (1, 1, 1)),
    ("commerces", "Le marché devrait avoir lieu aussi le mercredi en fin de journée.", (1, 1, 0)),
    ("commerces", "Les terrasses des cafés doivent pouvoir s'agrandir sur la place.", (0, 1, -1)),
    ("commerces", "Il faut aider les commerces de proximité à rester sur la place.", (1, 1, 1)),
    ("commerces", "Les loyers des commerces de la place sont trop élevés.", (-1, 1, 0)),
    ("commerces", "Un marché de producteurs locaux le samedi matin.", (1, 0, -1)),
    ("commerces", "Les camions du marché abîment la place, il faut les limiter.", (1, -1, 0)),
    ("commerces", "Les commerçants devraient être consultés avant tout aménagement de la place.", (-1, 1, 0)),
    ("tranquillité", "L'éclairage de la place est insuffisant la nuit.", (-1, 1, 1)),
    ("tranquillité", "Le bruit des terrasses tard le soir gêne les riverains.", (-1, -1, 1)),
    ("tranquillité", "Une aire de jeux clôturée pour que les enfants jouent tranquilles.", (-1, -1, 1)),
    ("tranquillité", "Des médiateurs présents le soir rassureraient les familles.", (-1, 1, 1)),
    ("tranquillité", "Les rodéos de scooters sur la place doivent cesser.", (1, 1, 1)),
    ("tranquillité", "Le soir, les poubelles débordent : un nettoyage plus rapide.", (1, 1, 1)),
    ("tranquillité", "Des toilettes publiques gratuites et éclairées la nuit.", (1, 1, 0)),
    ("tranquillité", "Une caméra de vidéoprotection pour la tranquillité la nuit.", (-1, 1, 1)),
    ("tranquillité", "La place doit rester un lieu de fête, même tard le soir.", (1, 0, -1)),
]

# Written by residents, waiting for moderation (the conversation is moderated before publication).
PENDING = [
    "Le mercredi, un espace de jeux pour les enfants à la place des voitures.",
    "Il faudrait une navette gratuite entre la place et le tram pour les personnes âgées.",
    "Les commerçants ne pensent qu'à leurs clients en voiture.",
]
HIDDEN = ("Les gens du quartier Zola sont tous des incapables.", "Propos insultants envers des habitants")
