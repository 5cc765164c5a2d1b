"""Django's own interface words that its Dutch catalogue does not translate (yet), or
that another installed app translates differently.

Listed here so that `makemessages` keeps them in locale/nl, which Django reads before
any app's catalogue: the admin's add-user help and the screen-reader column heads of
its model list would otherwise be English on a Dutch page (issue 16), and Django REST
framework's catalogue, read before Django's own, would turn every form's "Dit veld is
verplicht." into "Dit veld is vereist.". vroeg/tests/test_language.py checks both."""

from django.utils.translation import gettext_noop

DJANGO_WORDS = [
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    gettext_noop("Forgotten your login credentials?"),
    gettext_noop("In case you’ve forgotten, you are:"),
    # Django's Dutch, which Django REST framework's catalogue words differently.
    gettext_noop("This field is required."),
    gettext_noop("No file was submitted."),
    gettext_noop("Value must be valid JSON."),
    gettext_noop("Upload a valid image. The file you uploaded was either not an image or a corrupted image."),
]
