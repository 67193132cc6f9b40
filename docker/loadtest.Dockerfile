# syntax=docker/dockerfile:1
# The load client: docker run IMAGE run --host URL -u N -r R -t 60s --json /results/r.json --region-label eu-central-1
# Build from the repository root (the solution's shared props and pins live there):
#   docker build -f docker/loadtest.Dockerfile -t hyperstore/loadtest:$(git rev-parse --short HEAD) .
# Multi-platform: add --platform linux/amd64,linux/arm64 (the SDK stage runs natively and cross-publishes).

ARG DOTNET_VERSION=10.0

FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS build
ARG TARGETARCH
WORKDIR /repo

# Restore first, from the project files only, so the package layer survives source changes.
COPY global.json nuget.config Directory.Build.props Directory.Packages.props ./
COPY src/LoadTest/Hyperstore.LoadTest.csproj src/LoadTest/
RUN --mount=type=cache,id=nuget,target=/root/.nuget/packages \
    dotnet restore src/LoadTest/Hyperstore.LoadTest.csproj -a $TARGETARCH

COPY src/ src/
RUN --mount=type=cache,id=nuget,target=/root/.nuget/packages \
    dotnet publish src/LoadTest/Hyperstore.LoadTest.csproj -c Release -a $TARGETARCH --self-contained false \
      -p:UseAppHost=false -o /app

# Chiseled Ubuntu: no shell, no package manager, non-root user "app" (UID 1654) by default.
FROM mcr.microsoft.com/dotnet/runtime:${DOTNET_VERSION}-noble-chiseled AS runtime
WORKDIR /app
COPY --from=build --chown=root:root /app ./
USER $APP_UID
ENTRYPOINT ["dotnet", "hyperstore-loadtest.dll"]
