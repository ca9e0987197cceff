{{/* Test stand-in helpers: same names and meaning as the kuma chart's, own text. */}}
{{- define "kuma.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "kuma.labels" -}}
app.kubernetes.io/name: {{ include "kuma.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* formatImage: <block>.registry or global.image.registry, <block>.repository, and <block>.tag, else global.image.tag, else the appVersion. */}}
{{- define "kuma.formatImage" -}}
{{- $img := index . 0 -}}
{{- $root := index . 1 -}}
{{- $registry := $img.registry | default $root.Values.global.image.registry -}}
{{- $tag := $img.tag | default $root.Values.global.image.tag | default $root.Chart.AppVersion -}}
{{- printf "%s/%s:%s" $registry $img.repository $tag -}}
{{- end -}}

{{- define "kuma.defaultEnv" -}}
KUMA_ENVIRONMENT: {{ .Values.controlPlane.environment | quote }}
KUMA_MODE: {{ .Values.controlPlane.mode | quote }}
KUMA_STORE_TYPE: {{ ternary "postgres" "kubernetes" (eq .Values.controlPlane.environment "universal") | quote }}
KUMA_RUNTIME_KUBERNETES_INJECTOR_SIDECAR_CONTAINER_IMAGE: {{ include "kuma.formatImage" (list .Values.dataPlane.image .) | quote }}
KUMA_INJECTOR_INIT_CONTAINER_IMAGE: {{ include "kuma.formatImage" (list .Values.dataPlane.initImage .) | quote }}
{{- if .Values.controlPlane.zone }}
KUMA_MULTIZONE_ZONE_NAME: {{ .Values.controlPlane.zone | quote }}
{{- end }}
{{- if .Values.controlPlane.kdsGlobalAddress }}
KUMA_MULTIZONE_ZONE_GLOBAL_ADDRESS: {{ .Values.controlPlane.kdsGlobalAddress | quote }}
{{- end }}
KUMA_EXPERIMENTAL_SIDECAR_CONTAINERS: {{ .Values.experimental.sidecarContainers | quote }}
{{- end -}}
