# syntax=docker/dockerfile:1
# The projector (worker; its small Kestrel endpoint for /health and /metrics needs the ASP.NET Core runtime).
# Build from the repository root (the solution's shared props and pins live there):
#   docker build -f docker/projector.Dockerfile -t hyperstore/projector:$(git rev-parse --short HEAD) .
# Multi-platform: add --platform linux/amd64,linux/arm64 (the SDK stage runs natively and cross-publishes).

ARG DOTNET_VERSION=10.0

FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS build
ARG TARGETARCH
WORKDIR /repo

# Restore first, from the project files only, so the package layer survives source changes.
COPY global.json nuget.config Directory.Build.props Directory.Packages.props ./
COPY src/Domain/Hyperstore.Domain.csproj src/Domain/
COPY src/Ledger/Hyperstore.Ledger.csproj src/Ledger/
COPY src/Projector/Hyperstore.Projector.csproj src/Projector/
RUN --mount=type=cache,id=nuget,target=/root/.nuget/packages \
    dotnet restore src/Projector/Hyperstore.Projector.csproj -a $TARGETARCH

COPY src/ src/
RUN --mount=type=cache,id=nuget,target=/root/.nuget/packages \
    dotnet publish src/Projector/Hyperstore.Projector.csproj -c Release -a $TARGETARCH --self-contained false \
      -p:UseAppHost=false -o /app

# Chiseled Ubuntu: no shell, no package manager, non-root user "app" (UID 1654) by default.
FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION}-noble-chiseled AS runtime
WORKDIR /app
COPY --from=build --chown=root:root /app ./
USER $APP_UID
ENTRYPOINT ["dotnet", "Hyperstore.Projector.dll"]
