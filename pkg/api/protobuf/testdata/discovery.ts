// Just enough legacy discovery for kubectl's generators, auth can-i and RESTMapper lookups.
type Res = [name: string, kind: string, namespaced: boolean, group?: string, version?: string];

const groups: Record<string, Res[]> = {
  v1: [
    ["namespaces", "Namespace", false],
    ["configmaps", "ConfigMap", true],
    ["secrets", "Secret", true],
    ["services", "Service", true],
    ["serviceaccounts", "ServiceAccount", true],
    ["serviceaccounts/token", "TokenRequest", true],
    ["resourcequotas", "ResourceQuota", true],
    ["replicationcontrollers", "ReplicationController", true],
    ["pods", "Pod", true],
    ["pods/eviction", "Eviction", true, "policy", "v1"],
    ["nodes", "Node", false],
  ],
  "apps/v1": [["deployments", "Deployment", true], ["deployments/scale", "Scale", true, "autoscaling", "v1"], ["replicasets", "ReplicaSet", true]],
  "batch/v1": [["jobs", "Job", true], ["cronjobs", "CronJob", true]],
  "rbac.authorization.k8s.io/v1": [
    ["roles", "Role", true],
    ["rolebindings", "RoleBinding", true],
    ["clusterroles", "ClusterRole", false],
    ["clusterrolebindings", "ClusterRoleBinding", false],
  ],
  "autoscaling/v1": [["horizontalpodautoscalers", "HorizontalPodAutoscaler", true]],
  "autoscaling/v2": [["horizontalpodautoscalers", "HorizontalPodAutoscaler", true]],
  "policy/v1": [["poddisruptionbudgets", "PodDisruptionBudget", true]],
  "networking.k8s.io/v1": [["ingresses", "Ingress", true]],
  "scheduling.k8s.io/v1": [["priorityclasses", "PriorityClass", false]],
  "authentication.k8s.io/v1": [["selfsubjectreviews", "SelfSubjectReview", false]],
  "authorization.k8s.io/v1": [["selfsubjectaccessreviews", "SelfSubjectAccessReview", false]],
};

export function kindOfResource(gv: string, resource: string): string | undefined {
  return groups[gv]?.find((r) => r[0] === resource)?.[1];
}

/** Answers a discovery GET, or undefined when the path is not discovery. */
export function discovery(path: string): unknown {
  if (path === "/version")
    return { major: "1", minor: "33", gitVersion: "v1.33.0", gitCommit: "", gitTreeState: "clean", buildDate: "2025-01-01T00:00:00Z", goVersion: "go1.24", compiler: "gc", platform: "linux/amd64" };
  if (path === "/api") return { kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress: "127.0.0.1" }] };
  if (path === "/apis") {
    const list = Object.keys(groups)
      .filter((gv) => gv.includes("/"))
      .map((gv) => {
        const [group, version] = gv.split("/") as [string, string];
        const v = { groupVersion: gv, version };
        return { name: group, versions: [v], preferredVersion: v };
      });
    return { kind: "APIGroupList", apiVersion: "v1", groups: list };
  }
  const gv = path === "/api/v1" ? "v1" : path.startsWith("/apis/") ? path.slice(6) : undefined;
  const res = gv ? groups[gv] : undefined;
  if (!res) return undefined;
  return {
    kind: "APIResourceList",
    apiVersion: "v1",
    groupVersion: gv,
    resources: res.map(([name, kind, namespaced, group, version]) => ({
      name,
      ...(group ? { group, version } : {}),
      singularName: name.includes("/") ? "" : kind.toLowerCase(),
      namespaced,
      kind,
      verbs: name.includes("/") ? ["create"] : ["create", "delete", "get", "list", "patch", "update", "watch"],
    })),
  };
}
