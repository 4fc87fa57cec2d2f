{{/* Names: <release>-smartfactory, or the release name when it already says smartfactory. */}}
{{- define "smartfactory.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "smartfactory.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* The Kubernetes name of one service's objects. Call with (dict "root" $ "name" $name). */}}
{{- define "smartfactory.serviceName" -}}
{{- printf "%s-%s" (include "smartfactory.fullname" .root) .name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
The headless Service of one service (clusterIP: None): DNS answers with every ready pod's address, so a gRPC client
resolving dns:///<this name>:<port> balances its calls over the replicas (round_robin) instead of holding one
connection to one pod behind a virtual IP. Call with (dict "root" $ "name" $name).
*/}}
{{- define "smartfactory.headlessServiceName" -}}
{{- printf "%s-headless" (include "smartfactory.serviceName" . | trunc 54 | trimSuffix "-") -}}
{{- end -}}

{{- define "smartfactory.commonLabels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/part-of: {{ include "smartfactory.name" . }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- if .Chart.AppVersion }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}
{{- end -}}

{{/* Selector labels of one service's pods. Call with (dict "root" $ "name" $name). */}}
{{- define "smartfactory.selectorLabels" -}}
app.kubernetes.io/name: {{ include "smartfactory.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .name }}
{{- end -}}

{{/* Labels of a service's objects; smartfactory.io/service marks the pods the NetworkPolicies govern. */}}
{{- define "smartfactory.serviceLabels" -}}
{{ include "smartfactory.commonLabels" .root }}
{{ include "smartfactory.selectorLabels" . }}
smartfactory.io/service: {{ .name }}
{{- end -}}

{{/* Image of a service. Call with (dict "root" $ "svc" $svc). */}}
{{- define "smartfactory.image" -}}
{{- $repository := .svc.image.repository -}}
{{- if .root.Values.image.registry -}}
{{- $repository = printf "%s/%s" .root.Values.image.registry $repository -}}
{{- end -}}
{{- printf "%s:%s" $repository (.svc.image.tag | default .root.Values.image.tag | default .root.Chart.AppVersion) -}}
{{- end -}}

{{/* ---- Backing services: the bundled subchart's address, or the external one. ---- */}}

{{- define "smartfactory.postgresql.host" -}}
{{- if .Values.postgresql.enabled -}}
{{- printf "%s-postgresql" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- required "externalDatabase.host is required when postgresql.enabled=false" .Values.externalDatabase.host -}}
{{- end -}}
{{- end -}}

{{/* Npgsql connection string for one service's database. Call with (dict "root" $ "svc" $svc). */}}
{{- define "smartfactory.postgresql.connectionString" -}}
{{- $v := .root.Values -}}
{{- $port := ternary 5432 $v.externalDatabase.port $v.postgresql.enabled -}}
{{- $user := ternary $v.postgresql.auth.username $v.externalDatabase.username $v.postgresql.enabled -}}
{{- $password := ternary $v.postgresql.auth.password $v.externalDatabase.password $v.postgresql.enabled -}}
{{- $password = required "postgresql.auth.password (or externalDatabase.password) is required, or set the service's existingSecret" $password -}}
{{- $ssl := ternary "Disable" $v.externalDatabase.sslMode $v.postgresql.enabled -}}
{{- /* Quoted so that ; in a password cannot end the value; a quote inside is doubled. */ -}}
{{- printf "Host=%s;Port=%v;Database=%s;Username=%s;Password='%s';SSL Mode=%s" (include "smartfactory.postgresql.host" .root) $port .svc.database $user ($password | replace "'" "''") $ssl -}}
{{- end -}}

{{/* StackExchange.Redis configuration string (host:port[,password=...]). */}}
{{- define "smartfactory.redis.connectionString" -}}
{{- if .Values.redis.enabled -}}
{{- printf "%s-redis-master:6379" .Release.Name -}}
{{- if .Values.redis.auth.enabled }},password={{ required "redis.auth.password is required while redis.auth.enabled" .Values.redis.auth.password }}{{ end -}}
{{- else -}}
{{- printf "%s:%v" (required "externalRedis.host is required when redis.enabled=false" .Values.externalRedis.host) .Values.externalRedis.port -}}
{{- if .Values.externalRedis.password }},password={{ .Values.externalRedis.password }}{{ end -}}
{{- end -}}
{{- end -}}

{{- define "smartfactory.auth.authority" -}}
{{- if .Values.auth.authority -}}
{{- .Values.auth.authority -}}
{{- else if .Values.keycloak.enabled -}}
{{- printf "http://%s-keycloak/realms/smartfactory" .Release.Name -}}
{{- else -}}
{{- fail "auth.authority is required when keycloak.enabled=false" -}}
{{- end -}}
{{- end -}}

{{/* The bundled Keycloak is reached over plain http inside the cluster; anything else keeps the configured check. */}}
{{- define "smartfactory.auth.requireHttpsMetadata" -}}
{{- if and (not .Values.auth.authority) .Values.keycloak.enabled -}}false{{- else -}}{{ .Values.auth.requireHttpsMetadata }}{{- end -}}
{{- end -}}

{{/*
Migrations hook. Against a bundled PostgreSQL a first install has no database server before the release's own
objects exist, so the install-time run moves to post-install (the Job retries until the server is up); on upgrade,
and always against an external database, migrations run before the new pods.
*/}}
{{- define "smartfactory.migrations.hook" -}}
{{- if .Values.postgresql.enabled -}}post-install,pre-upgrade{{- else -}}pre-install,pre-upgrade{{- end -}}
{{- end -}}

{{/* Pod-level settings shared by Deployments and Jobs. Call with the root context. */}}
{{- define "smartfactory.podSpecCommon" -}}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
automountServiceAccountToken: false
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- end -}}
