FROM python:3.11-slim-bookworm
# WeasyPrint needs Pango and HarfBuzz; fonts for the PDFs ship in static/fonts. postgresql-client: pg_dump and
# pg_restore for `manage.py backup` / `restore` (Debian 12's are version 15, as the postgres:15 service).
RUN apt-get update && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 postgresql-client \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
# A throw-away random key: the settings refuse to load with DEBUG off and a weak key.
RUN DEBUG=0 SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" ALLOWED_HOSTS=localhost \
        python manage.py collectstatic --noinput
# The volumes mounted here start with these owners, so the app (not root) can write uploads and backups.
RUN mkdir -p /data/media /data/backups && chown nobody:nogroup /data/media /data/backups
USER nobody
EXPOSE 8000
