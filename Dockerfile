# syntax=docker/dockerfile:1
# The engine's images. The default (last) stage `runtime` is what a deployment runs: compiled
# JavaScript, production dependencies only, a non-root user, tini as PID 1 (signals reach Node, so
# SIGTERM drains the API and lets the worker finish its activities). The API and the worker differ
# only by command. The `tools` stage (TypeScript through tsx, every dev dependency) runs the partner
# simulators and the keys job of docker-compose.yml, never in a deployment.
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY workflows ./workflows
COPY activities ./activities
RUN npm run build

FROM ${NODE_IMAGE} AS production-dependencies
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM build AS tools
COPY tools ./tools
USER node
CMD ["npx", "tsx", "tools/sim/main.ts"]

FROM ${NODE_IMAGE} AS runtime
RUN apt-get update \
  && apt-get install -y --no-install-recommends tini \
  && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production API_HOST=0.0.0.0 API_PORT=3000
WORKDIR /app
COPY --from=production-dependencies --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist
COPY --chown=root:root package.json ./
# Owned by root, run as `node`: the process cannot rewrite its own code.
USER node
# 3000: the API; 9464: the worker's Temporal SDK metrics; 9465: the worker's /healthz and /readyz.
EXPOSE 3000 9464 9465
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.API_PORT + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/src/runtime/api-main.js"]
