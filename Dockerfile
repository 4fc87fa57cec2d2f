# syntax=docker/dockerfile:1
# One image per service, all from this file: skaffold.yaml passes each artifact's build arguments.
#   PROJECT    the project's folder, e.g. services/Registry/SmartFactory.Registry (holding <ASSEMBLY>.csproj)
#   ASSEMBLY   the project's assembly, e.g. SmartFactory.Registry: the image runs <ASSEMBLY>.dll
#   HTTP_PORT  its HTTP/1.1 port (health; REST and pages for the gateway), GRPC_PORT its gRPC (h2c) port: the image's
#              default endpoints and EXPOSE; the chart sets the endpoints again
# Build context: the repository root, so the shared props, protos and building blocks are in reach.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG PROJECT
ARG ASSEMBLY
ARG HTTP_PORT
ARG GRPC_PORT
RUN test -n "$PROJECT" && test -n "$ASSEMBLY" && test -n "$HTTP_PORT" && test -n "$GRPC_PORT" || { \
      echo "build with --build-arg PROJECT=<project folder> ASSEMBLY=<assembly> HTTP_PORT=<port> GRPC_PORT=<port> (skaffold.yaml sets them)" >&2; exit 1; }
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY protos/ protos/
COPY services/BuildingBlocks/ services/BuildingBlocks/
COPY ${PROJECT}/ ${PROJECT}/
# The cache mount keeps NuGet packages between builds without baking them into a layer.
RUN --mount=type=cache,id=nuget,target=/root/.nuget/packages \
    dotnet publish "${PROJECT}/${ASSEMBLY}.csproj" -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
ARG ASSEMBLY
ARG HTTP_PORT
ARG GRPC_PORT
WORKDIR /app
COPY --from=build /app ./
# Defaults that match EXPOSE, so the image also runs outside the chart; the chart sets them again.
ENV ASPNETCORE_ENVIRONMENT=Production \
    Endpoints__Http=http://0.0.0.0:${HTTP_PORT} \
    Endpoints__Grpc=http://0.0.0.0:${GRPC_PORT} \
    APP_ASSEMBLY=${ASSEMBLY}.dll
# Numeric user (the aspnet image's "app") so Kubernetes can verify runAsNonRoot.
USER $APP_UID
EXPOSE ${HTTP_PORT} ${GRPC_PORT}
# An exec-form ENTRYPOINT cannot name the assembly from a build argument, so a shell execs `dotnet <ASSEMBLY>.dll`
# (dotnet stays PID 1 and gets the signals) and hands it the container's arguments: the migrations Job's "migrate".
ENTRYPOINT ["/bin/sh", "-c", "exec dotnet \"$APP_ASSEMBLY\" \"$@\"", "--"]
