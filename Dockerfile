# The manager image: a static Go binary on distroless, running as the
# distroless nonroot user (65532) with nothing else in the image.
# Build: docker build -t ghcr.io/accord-dev/accord-manager:dev .
#
# The dashboard's forms (--dashboard-git-repository) run git, which
# distroless does not have; the manager-with-git target is the same binary
# on Debian with git and CA certificates, for installs that turn them on:
#   docker build --target manager-with-git -t ghcr.io/accord-dev/accord-manager:dev-git .
FROM golang:1.26 AS build
WORKDIR /src
# Modules first, so source edits reuse the download layer.
COPY go.mod go.sum ./
RUN go mod download
COPY api/ api/
COPY cmd/ cmd/
# The dashboard's forms validate changes against the embedded CRDs.
COPY config/ config/
COPY controllers/ controllers/
COPY internal/ internal/
ARG TARGETOS=linux
ARG TARGETARCH=amd64
RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -trimpath -ldflags="-s -w" -o /out/manager ./cmd/manager

FROM debian:bookworm-slim AS manager-with-git
RUN apt-get update && apt-get install -y --no-install-recommends git ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /out/manager /manager
USER 65532:65532
ENV HOME=/tmp
ENTRYPOINT ["/manager"]

# The default target, last: distroless.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/manager /manager
USER 65532:65532
ENTRYPOINT ["/manager"]
