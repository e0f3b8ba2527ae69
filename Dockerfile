# syntax=docker/dockerfile:1
#
# Herald: one image for every role (web, worker, migrate).
#   docker build -t herald .
#   docker run -p 3333:3333 -v herald-storage:/app/storage herald
# With no DATABASE_URL the container runs its own embedded PostgreSQL in the
# storage volume; set DATABASE_URL (and REDIS_URL) to use external services.

ARG NODE_VERSION=24

# --- build: install everything, compile TypeScript, assemble build/ ---------
FROM node:${NODE_VERSION}-slim AS build
WORKDIR /src
ENV PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
COPY package.json package-lock.json ./
COPY packages ./packages
COPY plugins ./plugins
RUN npm install --no-audit --no-fund
COPY . .
RUN npm run build

# --- production dependencies only --------------------------------------------
FROM node:${NODE_VERSION}-slim AS deps
WORKDIR /app
COPY --from=build /src/build ./
RUN npm install --omit=dev --no-audit --no-fund && npm cache clean --force

# --- runtime ---------------------------------------------------------------------
FROM node:${NODE_VERSION}-slim AS runtime
# --max-semi-space-size=8: V8's young generation capped at 16 MB (two 8 MB
# semi-spaces). V8 sizes it from the host's memory otherwise: 128 MB on a
# 24 GiB host, ~85 MB more resident memory under load for no measurable gain
# in throughput (docs/benchmarks.md, soak). For the web, worker and ace alike.
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3333 \
    STORAGE_DIR=/app/storage \
    NODE_OPTIONS=--max-semi-space-size=8
WORKDIR /app
# curl for the health check. Herald runs as the unprivileged "node" user, so the
# embedded PostgreSQL runs as that user too (it refuses root).
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY --from=deps --chown=node:node /app ./
RUN mkdir -p /app/storage && chown node:node /app/storage
USER node
VOLUME ["/app/storage"]
EXPOSE 3333
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD curl -fsS http://127.0.0.1:3333/health || exit 1
CMD ["node", "bin/server.js"]
