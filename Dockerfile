# syntax=docker/dockerfile:1
# Build stage: a virtualenv with Rebound and its dependencies.
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /srv/rebound
RUN python -m venv /opt/venv
COPY pyproject.toml README.md alembic.ini ./
COPY app ./app
COPY migrations ./migrations
RUN /opt/venv/bin/pip install --upgrade pip && /opt/venv/bin/pip install -e .

# Runtime stage: the virtualenv and the source, run as an unprivileged user.
FROM python:3.11-slim AS runtime
ENV PATH=/opt/venv/bin:$PATH PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 \
    REBOUND_ENVIRONMENT=production REBOUND_HOST=0.0.0.0 REBOUND_PORT=8000
RUN useradd --system --uid 10001 --home-dir /srv/rebound rebound
COPY --from=build /opt/venv /opt/venv
COPY --from=build --chown=rebound:rebound /srv/rebound /srv/rebound
WORKDIR /srv/rebound
USER rebound
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
    CMD ["python", "-c", "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/livez', timeout=2).status != 200)"]
# Migrate, then serve. The image runs as production: set REBOUND_DATABASE_URL,
# REBOUND_CURSOR_SECRET and REBOUND_WEBHOOK_SECRET_KEY, or it refuses to start on development
# defaults. Run `rebound worker` from the same image for webhook deliveries.
CMD ["sh", "-c", "rebound db upgrade && exec rebound serve"]
