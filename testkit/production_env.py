"""The environment of a production-like installation, for tests that start Vroeg's
settings in a fresh process (`check --deploy`, the database settings)."""

PRODUCTION_ENV = {
    "DJANGO_DEBUG": "false",
    "SECRET_KEY": "x7!kq2@vroeg-production-like-secret-key-with-enough-entropy-0a9b8c7d",
    "ALLOWED_HOSTS": "vroeg.voorbeeldstad.nl",
    "DATABASE_URL": "postgres://vroeg:secret@db.internal:5432/vroeg",
    "CELERY_BROKER_URL": "redis://redis.internal:6379/0",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.voorbeeldstad.nl:587",
}
