# syntax=docker/dockerfile:1
# The HTTP API. Listens on 8080 (ASPNETCORE_HTTP_PORTS of the base image; ECS sets ASPNETCORE_URLS=http://+:8080;http://+:9464
# and Hyperstore__MetricsPort=9464, so that /metrics is not on the public port).
# Build from the repository root (the solution's shared props and pins live there):
#   docker build -f docker/api.Dockerfile -t hyperstore/api:$(git rev-parse --short HEAD) .
# Multi-platform: add --platform linux/amd64,linux/arm64 (the SDK stage runs natively and cross-publishes).

ARG DOTNET_VERSION=10.0

FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS build
ARG TARGETARCH
WORKDIR /repo

# Restore first, from the project files only, so the package layer survives source changes.
COPY global.json nuget.config Directory.Build.props Directory.Packages.props ./
COPY src/Domain/Hyperstore.Domain.csproj src/Domain/
COPY src/Ledger/Hyperstore.Ledger.csproj src/Ledger/
COPY src/Api/Hyperstore.Api.csproj src/Api/
RUN --mount=type=cache,id=nuget,target=/root/.nuget/packages \
    dotnet restore src/Api/Hyperstore.Api.csproj -a $TARGETARCH

COPY src/ src/
RUN --mount=type=cache,id=nuget,target=/root/.nuget/packages \
    dotnet publish src/Api/Hyperstore.Api.csproj -c Release -a $TARGETARCH --self-contained false \
      -p:UseAppHost=false -o /app

# Chiseled Ubuntu: no shell, no package manager, non-root user "app" (UID 1654) by default.
FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION}-noble-chiseled AS runtime
WORKDIR /app
COPY --from=build --chown=root:root /app ./
USER $APP_UID
ENTRYPOINT ["dotnet", "Hyperstore.Api.dll"]
