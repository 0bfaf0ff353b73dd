# OnRecord: build with cgo and the FTS5 tag, run as a non-root user on a
# glibc base, the database on a volume, the token from the environment.
#
#   docker build -t onrecord .
#   docker run -e DISCORD_TOKEN -v onrecord-data:/data onrecord
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=1 go build -tags sqlite_fts5 -trimpath -ldflags="-s -w" -o /out/onrecord .

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin onrecord \
 && mkdir -p /data && chown onrecord:onrecord /data
COPY --from=build /out/onrecord /usr/local/bin/onrecord
USER onrecord
WORKDIR /data
ENV ONRECORD_DB=/data/onrecord.db \
    ONRECORD_LOG_FORMAT=json
VOLUME ["/data"]
# onrecord serve listens here (and run, for health and metrics, when
# ONRECORD_HTTP_ADDR is set).
EXPOSE 8080
ENTRYPOINT ["onrecord"]
# The gateway bot; `docker run -it onrecord console` tries it without Discord.
CMD ["run"]
