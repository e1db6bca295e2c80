# Steward image: one image, three roles (`all`, `worker`, `adapters`); docker-compose.yml picks the role per service.
# Debian (glibc), not Alpine: @temporalio/core-bridge ships prebuilt native binaries for linux-gnu only.
ARG NODE_IMAGE=node:24-bookworm-slim

# --- build: every dependency, TypeScript compiled to dist/ ---
FROM ${NODE_IMAGE} AS build
WORKDIR /app
# Manifests first, so the dependency layer is reused until package*.json change.
COPY package.json package-lock.json ./
# npm install, not npm ci: the lock was made where other platforms' optional binaries could not be resolved.
RUN npm install --no-audit --no-fund
COPY . .
RUN npm run build

# --- runtime: production dependencies and dist/ only ---
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
# V8's young generation capped at 4 MB: an idle worker holds 258 MB instead of 335 MB (README, "A leaner worker").
# In the environment, so compose's worker and adapters commands (the same image) get it too.
ENV NODE_OPTIONS=--max-semi-space-size=4
WORKDIR /app
COPY package.json package-lock.json ./
# @temporalio/worker (and its webpack/swc) is a production dependency: the worker bundles dist/workflows at start.
RUN npm install --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# DATA_DIR (./data) is only written by the all-in-one role's embedded servers; give the non-root user a place for it.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
CMD ["node", "dist/src/main.js", "all"]
