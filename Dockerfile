FROM python:3.11-slim-bookworm
# WeasyPrint needs Pango and HarfBuzz; fonts for the PDFs ship in static/fonts.
RUN apt-get update && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
# A throw-away random key: the settings refuse to load with DEBUG off and a weak key.
RUN DEBUG=0 SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" ALLOWED_HOSTS=localhost \
        python manage.py collectstatic --noinput
USER nobody
EXPOSE 8000
