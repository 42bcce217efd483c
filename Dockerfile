# The bot's image: slim, runs as an unprivileged user, applies migrations and then starts the bot.
#   docker build -t olymp-bot .
#   docker run --env-file .env olymp-bot
# Two or more replicas with PostgreSQL, Redis and nginx: deploy/docker-compose.yml.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN useradd --system --uid 10001 --user-group --home-dir /app --shell /usr/sbin/nologin olymp
WORKDIR /app

# Dependencies first: their layer is rebuilt only when pyproject.toml changes.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY README.md alembic.ini ./
COPY bot bot
COPY calendars calendars
COPY handlers handlers
COPY models models
COPY services services
COPY reminders reminders
COPY ui ui
COPY webapp webapp
COPY offline offline
COPY migrations migrations
COPY templates templates
COPY locales locales
COPY data/reference data/reference
COPY data/demo data/demo

# The code, translations and bytecode are built here, as root; at run time /app is read-only to
# the bot's user except data/ (a SQLite file, if used, and the console's downloads).
RUN pip install --no-deps -e . \
    && python -m bot compile-locales \
    && python -m compileall -q bot calendars handlers models services reminders ui offline migrations \
    && mkdir -p data/console data/exports \
    && chown -R olymp:olymp data

USER olymp
# 8080: the web server (webhook); 8081: HEALTH_PORT (/healthz, /metrics).
EXPOSE 8080 8081
ENV HEALTH_PORT=8081
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD python -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ['HEALTH_PORT'] + '/healthz', timeout=4)"
# SIGTERM lets the bot finish what it fetched before it exits.
STOPSIGNAL SIGTERM
CMD ["sh", "-c", "python -m bot migrate && exec python -m bot run"]
