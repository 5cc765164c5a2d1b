# Production image: gunicorn serves the app, whitenoise the static files.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VROEG_VAR_DIR=/app/var

WORKDIR /app
RUN useradd --system --uid 10001 --home-dir /app vroeg

COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

COPY . .
# collectstatic needs settings, not secrets: a throwaway key for this one step.
RUN SECRET_KEY=collectstatic-only-build-step-key-not-used-at-run-time-0123456789 \
    DJANGO_DEBUG=false python manage.py collectstatic --noinput --verbosity 0 \
    && mkdir -p /app/var \
    && chown -R vroeg /app/var

USER vroeg
EXPOSE 8000
# Whether X-Forwarded-Proto is trusted is Django's call (TRUST_X_FORWARDED_PROTO).
# Access log without query strings or Referer (deploy/gunicorn.conf.py).
CMD ["gunicorn", "vroeg.wsgi:application", "--config", "deploy/gunicorn.conf.py"]
