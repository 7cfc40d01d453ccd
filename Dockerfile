# The CoachHub image: web (gunicorn), Celery worker and Celery beat all run from it (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VAR_DIR=/app/var

WORKDIR /app

# gettext's msgfmt compiles the translations (locale/*/LC_MESSAGES/django.po) during the build.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*

COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .

# Static files are collected into the image, compressed and under names that carry a hash of their
# content; WhiteNoise serves them with long cache headers. The key only lets settings load
# for this build step (a random one, as settings refuse short or well-known keys); containers get the
# real one from the environment. The translations are compiled as `make compilemessages` does.
RUN SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
    python manage.py collectstatic --noinput \
    && for catalog in locale/*/LC_MESSAGES/django.po; do msgfmt --check -o "${catalog%.po}.mo" "$catalog"; done \
    && useradd --system --uid 1000 --home-dir /app coachhub \
    && mkdir -p var/uploads var/mail \
    && chown -R coachhub var

USER coachhub
EXPOSE 8000
# Workers, threads and timeouts: gunicorn.conf.py (WEB_CONCURRENCY, GUNICORN_THREADS, GUNICORN_TIMEOUT).
CMD ["gunicorn", "coachhub.wsgi", "--config", "gunicorn.conf.py"]
