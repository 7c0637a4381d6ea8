# The gateway of docker-compose.yml: nginx with the dashboard built in. The first stage builds
# the SPA as `make run` does (deploy/frontend.py): `npm ci` from the committed lockfile, the
# production build, a .gz beside each text asset for nginx's gzip_static.
# Build from the repository root: docker build -f deploy/gateway.Dockerfile -t statusmonitor/gateway .
FROM node:22-bookworm-slim AS dashboard
ENV PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm_config_update_notifier=false
WORKDIR /frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY frontend/ ./
RUN npm run build && \
    find dist -type f \( -name '*.js' -o -name '*.css' -o -name '*.html' -o -name '*.svg' \
        -o -name '*.json' \) -exec gzip -9 --keep --no-name {} +

FROM nginx:1.27-alpine
COPY deploy/nginx.compose.conf /etc/nginx/conf.d/default.conf
COPY --from=dashboard /frontend/dist /usr/share/nginx/html
