# syntax=docker/dockerfile:1
# Build: docker build -t newsbot .
# Run:   docker run -v newsbot-data:/data -v $PWD/newsbot.toml:/etc/newsbot/newsbot.toml:ro newsbot
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
COPY standins ./standins
RUN go mod download
COPY . .
ARG VERSION=dev
# The same build CI tests: static, no cgo.
RUN CGO_ENABLED=0 go build -tags goolm -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/bot ./cmd/bot

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/bot /usr/local/bin/bot
# The database lives on a volume; the configuration is mounted read-only.
VOLUME ["/data"]
ENV NEWSBOT_DB=/data/newsbot.db \
    NEWSBOT_CONFIG=/etc/newsbot/newsbot.toml
USER nonroot:nonroot
WORKDIR /data
ENTRYPOINT ["/usr/local/bin/bot"]
CMD ["run"]
