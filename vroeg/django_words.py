"""Django's own interface words that its Dutch catalogue does not translate (yet).

Listed here so that `makemessages` keeps them in locale/nl, which Django reads before
its own catalogue: the admin's add-user help and the screen-reader column heads of
its model list would otherwise be English on a Dutch page (issue 16).
vroeg/tests/test_language.py checks that every word in Django's admin and auth
templates has Dutch."""

from django.utils.translation import gettext_noop

DJANGO_WORDS = [
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    gettext_noop("Forgotten your login credentials?"),
    gettext_noop("In case you’ve forgotten, you are:"),
]
