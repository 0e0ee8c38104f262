# The slicesim image the Kubernetes Indexed Job in deploy/ runs: `slicesim` as the entrypoint, the
# committed scenarios in /app/scenarios, results written under the working directory (mount a
# volume at /results and pass --out /results/...).
#   docker build -t slicesim:0.1.0 .
#   docker run --rm -v "$PWD/out:/results" slicesim:0.1.0 run scenarios/blog-5000x3000.yaml --out /results/blog
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json ./
COPY src ./src
COPY tools/bundle.mjs ./tools/
# `npm ci` runs the prepare script, which compiles src/ into dist/ and bundles the command line into
# dist/cli/main.js (tools/bundle.mjs); then drop the dev dependencies.
RUN npm ci --no-audit --no-fund && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY scenarios ./scenarios
RUN ln -s /app/dist/cli/main.js /usr/local/bin/slicesim && mkdir /results && chown node:node /results
USER node
ENTRYPOINT ["slicesim"]
CMD ["--help"]
