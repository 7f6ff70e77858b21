"""The command line's help in the UI language (French when the locale is French).

The parsers are written in English (help=, description=, epilog=, as argparse expects);
`translate_parser(parser)`, called once the parser is built, gives every one of those texts
its `_()`, and `translate_argparse()` has argparse's own words (usage:, options, its error
messages) go through `_()` too. The French is registered below (register_fr), like every
other text of bizsync; a test walks the whole parser and checks that none is missing.
"""

from __future__ import annotations

import argparse

from bizsync_tui.i18n import _, register_fr


def _argparse_ngettext(singular: str, plural: str, n: int) -> str:
    return _(singular if n == 1 else plural)


def translate_argparse() -> None:
    """argparse's own texts through bizsync's _() (argparse looks up its module's `_` and
    `ngettext` each time it writes one)."""
    argparse._ = _  # type: ignore[attr-defined]
    argparse.ngettext = _argparse_ngettext  # type: ignore[attr-defined]


def parser_texts(parser: argparse.ArgumentParser):
    """(owner, attribute) of every help text of `parser` and its subparsers, for translation."""
    for attr in ("description", "epilog"):
        if getattr(parser, attr):
            yield parser, attr
    for action in parser._actions:
        if action.help and action.help != argparse.SUPPRESS:
            yield action, "help"
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                if choice.help:
                    yield choice, "help"
            for sub in dict.fromkeys(action.choices.values()):  # an alias is the same parser
                yield from parser_texts(sub)


def translate_parser(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Every help text of the parser in the current language (a text already translated, or
    one with no French, stays as it is)."""
    for owner, attr in parser_texts(parser):
        setattr(owner, attr, _(getattr(owner, attr)))
    return parser


register_fr({
    # argparse's own words
    "usage: ": "utilisation : ",
    "positional arguments": "arguments positionnels",
    "options": "options",
    "show this help message and exit": "afficher cette aide et quitter",
    "show program's version number and exit": "afficher le numéro de version et quitter",
    "%(prog)s: error: %(message)s\n": "%(prog)s : erreur : %(message)s\n",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s : %(message)s",
    "the following arguments are required: %s": "ces arguments sont obligatoires : %s",
    "unrecognized arguments: %s": "arguments inconnus : %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "choix invalide : %(value)r (choisissez parmi %(choices)s)",
    "invalid %(type)s value: %(value)r": "valeur invalide (%(type)s) : %(value)r",
    "expected one argument": "un argument attendu",
    "expected at least one argument": "au moins un argument attendu",
    "expected at most one argument": "au plus un argument attendu",
    "expected %s argument": "%s argument attendu",
    "expected %s arguments": "%s arguments attendus",
    "ambiguous option: %(option)s could match %(matches)s": "option ambiguë : %(option)s peut désigner %(matches)s",
    "not allowed with argument %s": "interdit avec l'argument %s",
    "one of the arguments %s is required": "l'un des arguments %s est obligatoire",
    "ignored explicit argument %r": "argument explicite ignoré : %r",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "commande inconnue %(parser_name)r (choix : %(choices)s)",

    # bizsync
    "Publish Sage 100 key business indicators to a mobile platform. Without a command, opens the terminal app.":
        "Publier les indicateurs clés de Sage 100 sur une plateforme mobile. Sans commande, ouvre "
        "l'application en mode terminal.",
    "folder of the settings database and key (default: $BIZSYNC_HOME or the user's data folder)":
        "dossier de la base des paramètres et de la clé (par défaut : $BIZSYNC_HOME ou le dossier de données "
        "de l'utilisateur)",
    "ignore the mouse in the terminal app": "ignorer la souris dans l'application en mode terminal",
    "demo Sage data and a ready configuration publishing to a local platform; then the TUI":
        "données Sage de démonstration et configuration prête à publier sur une plateforme locale ; puis "
        "l'application",
    "show, change, export or import settings": "afficher, modifier, exporter ou importer les paramètres",
    "add, change, list or remove companies": "ajouter, modifier, lister ou supprimer des sociétés",
    "add, change, list or remove company groups": "ajouter, modifier, lister ou supprimer des groupes de sociétés",
    "add, change, list or remove mobile users": "ajouter, modifier, lister ou supprimer des utilisateurs mobiles",
    "encryption key of the saved passwords": "clé de chiffrement des mots de passe enregistrés",
    "print the publication body a company would send (JSON)":
        "afficher le corps de publication qu'une société enverrait (JSON)",
    "publish (or delete) one company or all, and the mobile users; exit code 0 only if all succeeded":
        "publier (ou supprimer) une société ou toutes, et les utilisateurs mobiles ; code de sortie 0 "
        "seulement si tout a réussi",
    "show the publication journal, newest first": "afficher le journal des publications, les plus récentes d'abord",
    "run the publication scheduler in the foreground (for systemd), or list the next planned runs":
        "lancer le planificateur de publication au premier plan (pour systemd), ou lister les prochaines "
        "exécutions prévues",
    "alerts by e-mail and webhook: send a test": "alertes par e-mail et webhook : envoyer un test",
    "each company's and group's publication state; exit 0 all well, 1 failing or stale, 2 nothing ever published":
        "l'état de publication de chaque société et groupe ; sortie 0 tout va bien, 1 en échec ou périmé, "
        "2 rien n'a jamais été publié",
    "find the Sage databases of a folder, a server or the ODBC DSNs":
        "trouver les bases Sage d'un dossier, d'un serveur ou des DSN ODBC",
    "the reference platform service (serve, publisher accounts)":
        "le service de plateforme de référence (service, comptes de publication)",

    # demo
    "Build two demo Sage 100 companies, a group, three mobile users and a schedule, start the reference platform "
    "on a free loopback port, publish once, then open the terminal app (unless --no-tui). Without --data-dir, "
    "the demo uses its own folder beside your configuration, never your configuration itself.":
        "Construit deux sociétés Sage 100 de démonstration, un groupe, trois utilisateurs mobiles et une "
        "planification, démarre la plateforme de référence sur un port libre de la boucle locale, publie une "
        "fois, puis ouvre l'application en mode terminal (sauf avec --no-tui). Sans --data-dir, la démo utilise "
        "son propre dossier à côté de votre configuration, jamais votre configuration elle-même.",
    "print what was done and exit instead of opening the app":
        "afficher ce qui a été fait et quitter au lieu d'ouvrir l'application",
    "with --no-tui: keep the platform running until Ctrl-C":
        "avec --no-tui : garder la plateforme en marche jusqu'à Ctrl-C",
    "the platform's port on 127.0.0.1 (default: a free one)": "le port de la plateforme sur 127.0.0.1 (par défaut : un port libre)",

    # config
    "Show or change settings; export or import the whole configuration.":
        "Afficher ou modifier les paramètres ; exporter ou importer toute la configuration.",
    "every setting (passwords masked)": "tous les paramètres (mots de passe masqués)",
    "change settings, several at once (passwords alone, from stdin or a prompt)":
        "modifier des paramètres, plusieurs à la fois (les mots de passe seuls, depuis l'entrée standard ou "
        "l'invite)",
    "clear settings (a password, an address) or set them back to their default":
        "effacer des paramètres (un mot de passe, une adresse) ou les remettre à leur valeur par défaut",
    "the whole configuration as TOML (never a password)": "toute la configuration en TOML (jamais un mot de passe)",
    "apply a configuration file in one transaction": "appliquer un fichier de configuration en une seule transaction",
    "Print the configuration as TOML: settings, companies, groups, mobile users and their grants; never a password "
    "or a verifier. Keep it in version control and apply it with 'bizsync config import'.":
        "Affiche la configuration en TOML : paramètres, sociétés, groupes, utilisateurs mobiles et leurs "
        "droits ; jamais un mot de passe ni un vérificateur. Gardez-la en gestion de versions et appliquez-la "
        "avec 'bizsync config import'.",
    "write to FILE instead of standard output": "écrire dans FILE au lieu de la sortie standard",
    "Apply a TOML file written by 'bizsync config export' (or by hand) in one transaction and print each change; "
    "a refusal changes nothing. Companies, groups and users that are not in the file are kept.":
        "Applique en une seule transaction un fichier TOML écrit par 'bizsync config export' (ou à la main) et "
        "affiche chaque modification ; un refus ne change rien. Les sociétés, groupes et utilisateurs absents du "
        "fichier sont conservés.",
    "the TOML file, or - for standard input": "le fichier TOML, ou - pour l'entrée standard",
    "check the file and print what would change; save nothing":
        "vérifier le fichier et afficher ce qui changerait ; ne rien enregistrer",
    "login:password lines for the users the file adds (a file of mode 0600)":
        "lignes identifiant:mot de passe pour les utilisateurs que le fichier ajoute (un fichier en mode 0600)",

    # company / group
    "Companies published to the platform.": "Les sociétés publiées sur la plateforme.",
    "add a company": "ajouter une société",
    "change a company in place (what is not named is kept)":
        "modifier une société sur place (ce qui n'est pas cité est conservé)",
    "list companies": "lister les sociétés",
    "delete a company's published data, then the company": "supprimer les données publiées d'une société, puis la société",
    "the code mobile users type (upper-case letters and digits)":
        "le code que tapent les utilisateurs mobiles (majuscules et chiffres)",
    "Sage dossier number (upper-case letters and digits)": "numéro de dossier Sage (majuscules et chiffres)",
    "company name (raison sociale)": "raison sociale de la société",
    "accounting source: sqlite:PATH, odbc:..., mssql://HOST/DB": "source comptable : sqlite:CHEMIN, odbc:..., mssql://HÔTE/BASE",
    "commercial source, same forms": "source commerciale, mêmes formes",
    "all, or view ids separated by commas: {ids}": "all, ou des identifiants de vues séparés par des virgules : {ids}",
    "(default: all)": "(par défaut : all)",
    "(unticked views lose their grants)": "(les vues décochées perdent leurs droits)",
    "revenue account prefixes (default 70)": "préfixes des comptes de chiffre d'affaires (par défaut 70)",
    "extra cash account prefixes (default none)": "préfixes de comptes de trésorerie en plus (par défaut aucun)",
    "Change a company in place: only the options given change; its grants are kept.":
        "Modifie une société sur place : seules les options données changent ; ses droits sont conservés.",
    "Sage dossier number": "numéro de dossier Sage",
    "accounting source": "source comptable",
    "commercial source": "source commerciale",
    "revenue account prefixes": "préfixes des comptes de chiffre d'affaires",
    "extra cash account prefixes": "préfixes de comptes de trésorerie en plus",
    "no: left out of 'publish' for all and of the schedule ('À extraire' off); 'publish --company CODE' still "
    "publishes it":
        "no : laissée hors de 'publish' pour toutes et de la planification ('À extraire' décoché) ; 'publish "
        "--company CODE' la publie quand même",
    "Delete the company's data on the platform, then remove it from the configuration. Refused for a member of a "
    "group.":
        "Supprime les données de la société sur la plateforme, puis la retire de la configuration. Refusé pour "
        "un membre d'un groupe.",
    "remove it here only, leaving its last publication on the platform":
        "la retirer ici seulement, en laissant sa dernière publication sur la plateforme",
    "Company groups: their published data is the sum of the members'.":
        "Groupes de sociétés : leurs données publiées sont la somme de celles des membres.",
    "add a group": "ajouter un groupe",
    "change a group in place (what is not named is kept)":
        "modifier un groupe sur place (ce qui n'est pas cité est conservé)",
    "list groups": "lister les groupes",
    "delete a group's published data, then the group": "supprimer les données publiées d'un groupe, puis le groupe",
    "short codes of two or more companies": "codes courts de deux sociétés ou plus",
    "the whole new list of member companies": "toute la nouvelle liste des sociétés membres",
    "no: left out of 'publish' for all and of the schedule":
        "no : laissé hors de 'publish' pour tous et de la planification",

    # user / key
    "Mobile users and their grants.": "Les utilisateurs mobiles et leurs droits.",
    "add a mobile user (password from stdin or a prompt)":
        "ajouter un utilisateur mobile (mot de passe depuis l'entrée standard ou l'invite)",
    "change a mobile user in place (what is not named is kept)":
        "modifier un utilisateur mobile sur place (ce qui n'est pas cité est conservé)",
    "list users and grants": "lister les utilisateurs et leurs droits",
    "remove a user": "supprimer un utilisateur",
    "what a mobile user types on the phone, with a QR code (never a password)":
        "ce qu'un utilisateur mobile tape sur le téléphone, avec un QR code (jamais un mot de passe)",
    "views this user may see for a company or group; repeat for several (they add up)":
        "les vues que cet utilisateur peut voir pour une société ou un groupe ; à répéter pour plusieurs "
        "(elles s'ajoutent)",
    "Change a mobile user in place. Each --grant replaces the grant on that company or group only (CODE:none "
    "takes it away); the others are kept.":
        "Modifie un utilisateur mobile sur place. Chaque --grant remplace le droit sur cette société ou ce groupe "
        "seulement (CODE:none le retire) ; les autres sont conservés.",
    "the views this user may see for that company or group; repeat for several":
        "les vues que cet utilisateur peut voir pour cette société ou ce groupe ; à répéter pour plusieurs",
    "set a new password (from stdin or a prompt)":
        "donner un nouveau mot de passe (depuis l'entrée standard ou l'invite)",
    "Print the mobile page's address, the client code, the company short code(s), the login and a QR code of the "
    "page's address with them filled in. Exit code 1 when something the user needs is not set yet (the platform "
    "address, the client code, a grant).":
        "Affiche l'adresse de la page mobile, le code client, le ou les codes courts de société, l'identifiant "
        "et un QR code de l'adresse de la page avec ces codes remplis. Code de sortie 1 quand il manque encore "
        "quelque chose à l'utilisateur (l'adresse de la plateforme, le code client, un droit).",
    "also write the QR code as an SVG image, for printing": "écrire aussi le QR code en image SVG, pour l'imprimer",
    "draw the light modules as ink (a light-on-dark terminal without colours)":
        "dessiner les modules clairs en encre (un terminal clair sur sombre sans couleurs)",
    "re-encrypt every saved password under a new key": "rechiffrer chaque mot de passe enregistré avec une nouvelle clé",
    "Make a new key and re-encrypt every saved password; safe to interrupt and run again.":
        "Crée une nouvelle clé et rechiffre chaque mot de passe enregistré ; peut être interrompu et relancé "
        "sans risque.",
    "do not make a key: re-encrypt under the first key given (BIZSYNC_KEY=new,old)":
        "ne pas créer de clé : rechiffrer avec la première clé donnée (BIZSYNC_KEY=nouvelle,ancienne)",

    # extract / publish / journal / scheduler
    "Extract the views of a company, a group or two Sage sources and print the publication body (JSON) that would "
    "be sent. Nothing is uploaded.":
        "Extrait les vues d'une société, d'un groupe ou de deux sources Sage et affiche le corps de publication "
        "(JSON) qui serait envoyé. Rien n'est envoyé.",
    "a configured company": "une société configurée",
    "a configured company group": "un groupe de sociétés configuré",
    "the accounting source (sqlite:PATH, odbc:..., mssql://...)": "la source comptable (sqlite:CHEMIN, odbc:..., mssql://...)",
    "the commercial source (with --accounting; default: the same)":
        "la source commerciale (avec --accounting ; par défaut : la même)",
    "the date of the figures, YYYY-MM-DD (default: today)": "la date des chiffres, AAAA-MM-JJ (par défaut : aujourd'hui)",
    "views to extract (default: all with direct sources, the checked ones otherwise)":
        "les vues à extraire (par défaut : toutes avec des sources directes, sinon celles cochées)",
    "management-database user for direct sources (its password is read from standard input)":
        "utilisateur des bases de gestion pour les sources directes (son mot de passe est lu sur l'entrée "
        "standard)",
    "short code to put in the body (direct sources)": "code court à mettre dans le corps (sources directes)",
    "dossier to put in the body (direct sources)": "dossier à mettre dans le corps (sources directes)",
    "company name to put in the body (default: Sage's P_DOSSIER name)":
        "raison sociale à mettre dans le corps (par défaut : le nom de P_DOSSIER de Sage)",
    "Extract and publish every enabled company and group (or one), then the mobile users and their grants. With "
    "--delete, remove one company's published data (--company) or, without --company, everything of this client "
    "(publications and users). Every operation is written to the journal.":
        "Extrait et publie chaque société et groupe à extraire (ou un seul), puis les utilisateurs mobiles et "
        "leurs droits. Avec --delete, supprime les données publiées d'une société (--company) ou, sans "
        "--company, tout ce qui appartient à ce client (publications et utilisateurs). Chaque opération est "
        "écrite dans le journal.",
    "only this company or group": "seulement cette société ou ce groupe",
    "delete the published data instead of publishing": "supprimer les données publiées au lieu de publier",
    "extract as of this date (default: today)": "extraire à cette date (par défaut : aujourd'hui)",
    "The publication journal, newest first; an error is marked ✗.":
        "Le journal des publications, les plus récentes d'abord ; une erreur est marquée ✗.",
    "only the errors": "seulement les erreurs",
    "a JSON list of entries": "une liste JSON des entrées",
    "at most N entries (default 200)": "au plus N entrées (par défaut 200)",
    "Without --next: run the scheduler in the foreground, logging to standard output, until SIGTERM or Ctrl+C. "
    "Only one scheduler runs per data dir (the terminal app counts as one). With --next N: print the next N "
    "planned publications (ISO 8601 with UTC offset, one a line) and exit.":
        "Sans --next : lance le planificateur au premier plan, journal sur la sortie standard, jusqu'à SIGTERM ou "
        "Ctrl+C. Un seul planificateur tourne par dossier de données (l'application en mode terminal en est "
        "un). Avec --next N : affiche les N prochaines publications prévues (ISO 8601 avec le décalage UTC, une "
        "par ligne) et quitte.",
    "print the next N planned runs and exit": "afficher les N prochaines exécutions prévues et quitter",
    "with --next: list the runs after this moment (ISO 8601; without an offset it is local time; default: now)":
        "avec --next : lister les exécutions après ce moment (ISO 8601 ; sans décalage c'est l'heure locale ; "
        "par défaut : maintenant)",

    # alert / status
    "Alerts go out when a publication starts failing, recovers, or has not succeeded for alert.stale_hours. "
    "Configure them with the alert.* settings (bizsync config set) or in Settings > Alerts.":
        "Les alertes partent quand une publication commence à échouer, se rétablit, ou n'a pas réussi depuis "
        "alert.stale_hours. Réglez-les avec les paramètres alert.* (bizsync config set) ou dans Paramètres > "
        "Alertes.",
    "send a test alert through every configured channel; exit 0 only if all were delivered":
        "envoyer une alerte de test par chaque canal configuré ; sortie 0 seulement si toutes ont été remises",
    "the same as JSON": "la même chose en JSON",
    "One line per company, group and the mobile users: state, last success, last attempt, failing since; then "
    "the next run and the scheduler. Exit code 0 when all are well, 1 when any is failing or stale "
    "(alert.stale_hours), 2 when nothing was ever published. Also sends a stale alert that is due (nothing else "
    "may be running to notice it).":
        "Une ligne par société, par groupe et pour les utilisateurs mobiles : état, dernier succès, dernière "
        "tentative, en échec depuis ; puis la prochaine exécution et le planificateur. Code de sortie 0 quand "
        "tout va bien, 1 quand l'un est en échec ou périmé (alert.stale_hours), 2 quand rien n'a jamais été "
        "publié. Envoie aussi une alerte de péremption due (rien d'autre ne tourne peut-être pour la voir).",

    # sources (cli/sources_cmd.py)
    "Find Sage 100 databases and print their source strings.":
        "Trouver les bases Sage 100 et afficher leurs chaînes de source.",
    "list the Sage databases (one line each: source, company name, accounting/commercial/both)":
        "lister les bases Sage (une ligne chacune : source, raison sociale, comptable/commerciale/les deux)",
    "List the Sage 100 databases of a folder (--dir), of a server (--server) or, without either, of this "
    "machine's ODBC DSNs: one line each, tab-separated: the source string, the company name and accounting, "
    "commercial, both or empty. Servers and DSNs are opened read-only with the saved management credentials.":
        "Liste les bases Sage 100 d'un dossier (--dir), d'un serveur (--server) ou, sans l'un ni l'autre, des "
        "DSN ODBC de cette machine : une ligne chacune, séparée par des tabulations : la chaîne de source, la "
        "raison sociale et accounting, commercial, both ou rien. Serveurs et DSN sont ouverts en lecture seule "
        "avec les identifiants de gestion enregistrés.",
    "a folder: the Sage SQLite files in it and its subfolders":
        "un dossier : les fichiers SQLite Sage qu'il contient et ceux de ses sous-dossiers",
    "mssql://HOST[:PORT][?instance=NAME], or odbc:DRIVER={...};SERVER=...;PORT=... (PostgreSQL, SQL Server)":
        "mssql://HÔTE[:PORT][?instance=NOM], ou odbc:DRIVER={...};SERVER=...;PORT=... (PostgreSQL, SQL Server)",
    "time allowed to the whole discovery (default 60)": "temps accordé à toute la recherche (par défaut 60)",

    # platform
    "Run the reference platform that receives and serves publications, and provision the publisher accounts on it.":
        "Fait tourner la plateforme de référence qui reçoit et sert les publications, et y crée les comptes de "
        "publication.",
    "serve the platform in the foreground": "servir la plateforme au premier plan",
    "publisher accounts (client codes)": "comptes de publication (codes clients)",
    "Serve the platform until Ctrl-C or SIGTERM; logs go to standard output. Plain HTTP is for loopback only: "
    "elsewhere give --tls-cert and --tls-key, or put it behind a TLS reverse proxy.":
        "Sert la plateforme jusqu'à Ctrl-C ou SIGTERM ; le journal va sur la sortie standard. Le HTTP simple est "
        "réservé à la boucle locale : ailleurs, donnez --tls-cert et --tls-key, ou placez-la derrière un proxy "
        "inverse TLS.",
    "address to listen on (default 127.0.0.1)": "adresse d'écoute (par défaut 127.0.0.1)",
    "port to listen on (default 8470)": "port d'écoute (par défaut 8470)",
    "database URL, e.g. postgresql://user@host/db (default: platform.db in the data folder); for PostgreSQL give "
    "the password in ~/.pgpass or PGPASSWORD, never here":
        "URL de la base, ex. postgresql://utilisateur@hôte/base (par défaut : platform.db dans le dossier de "
        "données) ; pour PostgreSQL donnez le mot de passe dans ~/.pgpass ou PGPASSWORD, jamais ici",
    "how long a mobile login lasts, in hours, up to 8760 (default 12)":
        "durée d'une connexion mobile, en heures, jusqu'à 8760 (par défaut 12)",
    "serve HTTPS with this PEM certificate (chain) file; needs --tls-key":
        "servir en HTTPS avec ce fichier de certificat (chaîne) PEM ; demande --tls-key",
    "the PEM private key of --tls-cert": "la clé privée PEM de --tls-cert",
    "worker processes (several need no shared memory: all state is in the database)":
        "processus de travail (plusieurs n'ont besoin d'aucune mémoire partagée : tout l'état est dans la base)",
    "create a publisher account; password from stdin or a prompt":
        "créer un compte de publication ; mot de passe depuis l'entrée standard ou l'invite",
    "list the publisher accounts": "lister les comptes de publication",
    "remove a publisher account and all its data": "supprimer un compte de publication et toutes ses données",
    "Create a client code and its portal password (read from a prompt, or the first line of standard input; never "
    "from the command line).":
        "Crée un code client et son mot de passe de portail (lu à l'invite, ou sur la première ligne de l'entrée "
        "standard ; jamais sur la ligne de commande).",
    "the client code the admin app will use": "le code client qu'utilisera l'application d'administration",
    "give an existing client code a new password": "donner un nouveau mot de passe à un code client existant",
    "print a JSON list": "afficher une liste JSON",
})
