# One image for every Legwork app; the compose file picks the entry point per service.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY apps ./apps
COPY libs ./libs
COPY nx.json tsconfig.base.json tsconfig.json .swcrc jest.preset.js jest.config.js eslint.config.mjs ./
RUN npm ci --no-audit --no-fund && NX_DAEMON=false npx nx run-many -t build && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0
COPY --from=build /app /app
EXPOSE 8000 8001 8002 5555 5060/udp 5060/tcp 5066
CMD ["node", "apps/legwork/dist/main.js"]
