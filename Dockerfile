# The manager image: a static Go binary on distroless, running as the
# distroless nonroot user (65532) with nothing else in the image. The
# dashboard's forms (--dashboard-git-repository) need the git binary,
# which this image does not have: build one FROM a base with git for them.
# Build: docker build -t ghcr.io/accord-dev/accord-manager:dev .
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

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/manager /manager
USER 65532:65532
ENTRYPOINT ["/manager"]
