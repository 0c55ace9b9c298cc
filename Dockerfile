# edgewatch: one process, one config. Build: docker build -t edgewatch .
# Run: docker run -e EDGEWATCH_TOKEN=… -p 127.0.0.1:8787:8787 -v edgewatch-data:/app/data edgewatch
ARG BUN_VERSION=1.4.5
FROM oven/bun:${BUN_VERSION}-debian AS deps
WORKDIR /app
COPY package.json bun.lock ./
RUN bun install --frozen-lockfile --production --ignore-scripts

FROM oven/bun:${BUN_VERSION}-debian
WORKDIR /app
ENV NODE_ENV=production
COPY --from=deps /app/node_modules ./node_modules
COPY package.json bun.lock tsconfig.json bunfig.toml ./
COPY core ./core
COPY plugins ./plugins
COPY strategies ./strategies
COPY configs ./configs
COPY schema ./schema
COPY deploy/edgewatch.toml ./deploy/edgewatch.toml
# the alert outbox (SQLite) and recordings live here: mount a volume so they survive the container
RUN mkdir -p /app/data && chown -R bun:bun /app/data
VOLUME ["/app/data"]
USER bun
EXPOSE 8787
# SIGTERM stops cleanly within [bot] stop_deadline_ms; SIGHUP re-reads the config
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["bun", "-e", "fetch('http://127.0.0.1:8787/health',{headers:{authorization:'Bearer '+process.env.EDGEWATCH_TOKEN}}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["bun", "core/cli.ts"]
CMD ["deploy/edgewatch.toml"]
