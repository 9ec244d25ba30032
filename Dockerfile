# syntax=docker/dockerfile:1
# The production image of the API and the worker (one image, two commands):
#   docker build -t agentpaas .
#   docker run agentpaas api | worker | migrate | seed
# Stage 1 builds the web UI, stage 2 installs the Python packages into a virtualenv,
# stage 3 is the slim runtime that runs as an unprivileged user.

FROM node:22-bookworm-slim AS ui
WORKDIR /src/ui
COPY ui/package.json ui/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY ui/ ./
RUN npm run build


FROM python:3.11-slim-bookworm AS python
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH
# A CPU wheel index or a mirror can be given at build time (--build-arg PIP_INDEX_URL=…).
ARG PIP_INDEX_URL
ARG PIP_EXTRA_INDEX_URL
RUN python -m venv /opt/venv
WORKDIR /app
# torch first and on its own layer, as the Makefile does: nothing later resolves it again.
RUN pip install torch==2.13.0
COPY pyproject.toml README.md ./
COPY agentpaas ./agentpaas
COPY activities ./activities
COPY migrations ./migrations
COPY node_types ./node_types
COPY platform_api ./platform_api
COPY platform_core ./platform_core
COPY temporal_workflows ./temporal_workflows
COPY templates_catalog ./templates_catalog
# Editable: the API serves the UI from <source>/ui/dist, next to the packages.
RUN pip install -e . && python -m compileall -q agentpaas activities migrations node_types \
    platform_api platform_core temporal_workflows templates_catalog
COPY --from=ui /src/ui/dist ./ui/dist


FROM python:3.11-slim-bookworm AS runtime
RUN groupadd --system --gid 10001 agentpaas \
    && useradd --system --uid 10001 --gid agentpaas --home-dir /var/lib/agentpaas \
       --shell /usr/sbin/nologin agentpaas \
    && mkdir -p /var/lib/agentpaas \
    && chown agentpaas:agentpaas /var/lib/agentpaas
ENV VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    LITELLM_LOCAL_MODEL_COST_MAP=True \
    HF_HUB_OFFLINE=1 \
    HOME=/var/lib/agentpaas \
    AGENTPAAS_ENVIRONMENT=production \
    AGENTPAAS_DATA_DIR=/var/lib/agentpaas \
    AGENTPAAS_API_HOST=0.0.0.0 \
    AGENTPAAS_METRICS_HOST=0.0.0.0
# Code and virtualenv stay owned by root: the service user can read, not change them.
COPY --from=python /opt/venv /opt/venv
COPY --from=python /app /app
WORKDIR /app
USER agentpaas:agentpaas
# API; a worker's metrics (AGENTPAAS_WORKER_METRICS_PORT); Temporal SDK metrics.
EXPOSE 8000 9464 9465
ENTRYPOINT ["agentpaas"]
CMD ["api"]
