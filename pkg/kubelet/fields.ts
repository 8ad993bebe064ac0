// Downward API field paths (fieldRef) for env and volumes.
export function podField(pod: any, path: string, podIPs: string[], hostIPs: string[]): string | undefined {
  const m = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (m) return (pod.metadata[m[1]] ?? {})[m[2]] ?? "";
  switch (path) {
    case "metadata.name": return pod.metadata.name;
    case "metadata.namespace": return pod.metadata.namespace;
    case "metadata.uid": return pod.metadata.uid;
    case "spec.nodeName": return pod.spec.nodeName;
    case "spec.serviceAccountName": return pod.spec.serviceAccountName ?? "";
    case "status.hostIP": return hostIPs[0] ?? "";
    case "status.hostIPs": return hostIPs.join(",");
    case "status.podIP": return podIPs[0] ?? "";
    case "status.podIPs": return podIPs.join(",");
  }
  return undefined;
}
