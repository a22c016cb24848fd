# syntax=docker/dockerfile:1
# One image for every evetrader service: `evetrader serve scheduler|worker|web|bot`, `evetrader migrate`, or `run`
# for all in one. Build: `make docker`. Dependencies come from requirements.lock (exact versions with hashes);
# evetrader itself is installed from the wheel built here. The test fakes are a separate dist and never installed.
ARG PYTHON_IMAGE=python:3.11-slim@sha256:9c900dea9e8fb7e16277c179b555cc72d29a352dbc33cff48ad5a0412fd5bfc7

FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore
# Compilers only here, for a locked dependency that has no wheel for this platform; the final stage has none.
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential \
 && rm -rf /var/lib/apt/lists/*
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /src
COPY requirements.lock ./
RUN pip install --require-hashes -r requirements.lock
COPY . .
RUN pip wheel --no-deps --wheel-dir /wheels . \
 && pip install --no-deps /wheels/evetrader-*.whl

FROM ${PYTHON_IMAGE}
RUN groupadd --system --gid 10001 evetrader \
 && useradd --system --uid 10001 --gid 10001 --home-dir /app --no-create-home --shell /usr/sbin/nologin evetrader \
 && mkdir -p /app/data \
 && chown 10001:10001 /app/data
COPY --from=build /opt/venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    MPLCONFIGDIR=/tmp/matplotlib \
    EVETRADER_ENV=production \
    EVETRADER_DATA_DIR=/app/data \
    WEB_HOST=0.0.0.0 \
    WEB_PORT=8080 \
    OPS_HOST=0.0.0.0 \
    OPS_PORT=9100
WORKDIR /app
USER 10001:10001
# 8080: the panel (and the Telegram webhook of `serve bot`); 9100: /healthz, /readyz, /metrics of every service.
EXPOSE 8080 9100
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
  CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('OPS_PORT', '9100'), timeout=4)"]
ENTRYPOINT ["evetrader"]
CMD ["run"]
