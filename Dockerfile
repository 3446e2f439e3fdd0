# The service's image: one image for the web process, the worker process, the migration run and the
# tools (PROCESS_ROLE and the command choose). Multi-stage: the build stage generates the Prisma
# client with the dev tools present; the final stage installs production dependencies only.
# Build: docker build -t estate-frontdoor .   Run: see deploy/compose.yaml and docs/operating.md.

FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV PRISMA_CLI_QUERY_ENGINE_TYPE=client
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
# postinstall generates the client into core/db/generated (Prisma's JS engine: nothing downloaded).
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run generate && npx tsc -p . --noEmit

FROM node:20-bookworm-slim AS runtime
# fonts-wqy-zenhei: the Chinese font the bulletin and poster PDFs embed (POSTER_FONT's default);
# postgresql-client: pg_dump/psql for `npm run backup` and restore on PostgreSQL; tini: signals to node.
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-wqy-zenhei postgresql-client tini ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production PRISMA_CLI_QUERY_ENGINE_TYPE=client PORT=3000 HOST=0.0.0.0 \
    PGLITE_DIR=/data/pglite BACKUP_DIR=/data/backups ATTACHMENTS_DIR=/data/attachments
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/core/db/generated ./core/db/generated
COPY --from=build /app/app-context.ts /app/main.ts /app/tsconfig.json ./
COPY --from=build /app/api ./api
COPY --from=build /app/bot ./bot
COPY --from=build /app/core ./core
COPY --from=build /app/jobs ./jobs
COPY --from=build /app/rules ./rules
COPY --from=build /app/scripts ./scripts
# A non-root user owns only the data folder; the code stays read-only to it.
RUN groupadd --system --gid 10001 estate && useradd --system --uid 10001 --gid estate --home /data estate \
 && mkdir -p /data && chown estate:estate /data
USER estate
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["/usr/bin/tini", "--"]
# MIGRATE_ON_START=false with a separate `npm run migrate` (compose's migrate service, the k8s Job).
CMD ["npm", "start"]
