# Werkakademie web/worker/beat image (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    # The project directory comes first on sys.path for manage.py, gunicorn and celery
    # alike, so BASE_DIR is /app (templates/, static/, locale/ live there).
    PYTHONPATH=/app

RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
        libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first, the exact versions of the runtime lock (hash-checked): this layer is
# rebuilt only when requirements/base.txt changes.
COPY requirements/base.txt requirements/base.txt
RUN pip install -r requirements/base.txt

COPY . .
# The project itself without resolving again (its dependencies are all in the lock).
# compilemessages (when there are .po files) and collectstatic import the settings,
# which require a SECRET_KEY outside DEBUG: a dummy one that exists only in this step.
RUN pip install --no-deps . \
    && if [ -n "$(find . -name '*.po' -print | head -n 1)" ]; then \
         SECRET_KEY=build-only python manage.py compilemessages; \
       fi \
    && SECRET_KEY=build-only python manage.py collectstatic --noinput \
    && rm -rf build *.egg-info

RUN useradd --system --uid 10001 --user-group --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin werkakademie \
    && mkdir -p /data/imports /data/documents \
    && chown werkakademie: /data/imports /data/documents \
    && chmod 700 /data/imports /data/documents
USER werkakademie

EXPOSE 8000

# /health/ checks database and broker. The Host header is the first ALLOWED_HOSTS entry and
# X-Forwarded-Proto avoids the HTTPS redirect, as a TLS-terminating proxy would.
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD python -c "import os, urllib.request as r; \
h = [x.strip().lstrip('.') for x in os.environ.get('ALLOWED_HOSTS', '').split(',') if x.strip() not in ('', '*')]; \
r.urlopen(r.Request('http://127.0.0.1:8000/health/', headers={'X-Forwarded-Proto': 'https', **({'Host': h[0]} if h else {})}), timeout=8)"

CMD ["gunicorn", "werkakademie.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
