# One image for every evetrader service: `evetrader serve scheduler|web|worker|bot` (or `run` for all in one).
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY evetrader evetrader
COPY core core
COPY adapters adapters
COPY bot bot
COPY scheduler scheduler
COPY web web
COPY fakes fakes
RUN pip install --no-cache-dir --prefix=/install .

FROM python:3.11-slim
RUN useradd --create-home --uid 10001 evetrader
COPY --from=build /install /usr/local
WORKDIR /app
COPY migrations migrations
ENV EVETRADER_ENV=production EVETRADER_DATA_DIR=/app/data WEB_HOST=0.0.0.0 PYTHONUNBUFFERED=1
USER evetrader
EXPOSE 8080
HEALTHCHECK CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/healthz')"
ENTRYPOINT ["evetrader"]
CMD ["run"]
