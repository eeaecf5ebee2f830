FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Dependencies first, so that a code change does not reinstall them.
COPY requirements.txt ./
RUN pip install --require-hashes -r requirements.txt

COPY . .
# Hashed, compressed static files (plotly.js included) served by whitenoise.
RUN DEBUG=0 SECRET_KEY=build-only-not-secret python manage.py collectstatic --noinput -v0 \
    && useradd --create-home --uid 1000 app \
    && mkdir -p /app/media && chown -R app /app/media

USER app
EXPOSE 8000
CMD ["gunicorn", "zhongyuan.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3"]
