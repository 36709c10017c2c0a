# The engine's image: the API, the worker, the simulators and the jobs (keys, migrations) differ
# only by command (see docker-compose.yml). TypeScript runs through tsx, as `npm run dev` runs it.
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
CMD ["npx", "tsx", "src/runtime/api-main.ts"]
