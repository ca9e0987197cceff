package model

// Environment variables of kuma-cp and kuma-dp that kumalint reads, wherever
// they are set: a rendered Deployment, Helm envVars, compose, systemd
// (domain.md §1.5, §3, §4). The REMOTE names are Kuma 1.0/1.1's, renamed in
// 1.2.
const (
	EnvMode               = "KUMA_MODE"
	EnvEnvironment        = "KUMA_ENVIRONMENT"
	EnvStoreType          = "KUMA_STORE_TYPE"
	EnvPostgresHost       = "KUMA_STORE_POSTGRES_HOST"
	EnvPostgresPort       = "KUMA_STORE_POSTGRES_PORT"
	EnvPostgresDB         = "KUMA_STORE_POSTGRES_DB_NAME"
	EnvZoneName           = "KUMA_MULTIZONE_ZONE_NAME"
	EnvRemoteZone         = "KUMA_MULTIZONE_REMOTE_ZONE"
	EnvGlobalAddress      = "KUMA_MULTIZONE_ZONE_GLOBAL_ADDRESS"
	EnvRemoteGlobalAddr   = "KUMA_MULTIZONE_REMOTE_GLOBAL_ADDRESS"
	EnvSidecarImage       = "KUMA_RUNTIME_KUBERNETES_INJECTOR_SIDECAR_CONTAINER_IMAGE"
	EnvInitImage          = "KUMA_INJECTOR_INIT_CONTAINER_IMAGE"
	EnvControlPlaneURL    = "KUMA_CONTROL_PLANE_URL"
	EnvDataplaneProxyType = "KUMA_DATAPLANE_PROXY_TYPE"
	// KUMA_EXPERIMENTAL_<FLAG> sets experimental.<flag> (domain.md §1.6, §6.2).
	EnvExperimentalPrefix = "KUMA_EXPERIMENTAL_"
	// KongMeshEnvPrefix marks Kong Mesh's own settings (KMESH_LICENSE_…).
	KongMeshEnvPrefix = "KMESH_"
)
