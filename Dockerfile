# One image for every service of event-backbone; docker-compose.yml picks the entry per service.
# Node 24 runs the TypeScript sources directly (type stripping): there is no build step.
FROM node:24-slim
WORKDIR /app
ENV NODE_ENV=production
# The workspace packages (libs/*) resolve to their TypeScript sources under this condition.
ENV NODE_OPTIONS=--conditions=event-backbone-source
COPY package.json package-lock.json ./
# npm ci links the workspace packages, so their manifests come first.
COPY libs/errors/package.json libs/errors/
COPY libs/catalog/package.json libs/catalog/
COPY libs/serde/package.json libs/serde/
COPY libs/client/package.json libs/client/
COPY libs/testing/package.json libs/testing/
COPY libs/cli/package.json libs/cli/
# The `node` devDependency only exists to bring Node 24 to machines without it; the image has it.
RUN npm ci --omit=dev --no-audit --no-fund
COPY bin ./bin
COPY libs ./libs
COPY services ./services
COPY schemas ./schemas
COPY deploy/triggers.yaml ./deploy/triggers.yaml
USER node
ENV SERVICE_HOST=0.0.0.0
CMD ["node", "bin/backbone.js", "help"]
