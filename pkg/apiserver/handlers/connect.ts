// Connect subresources (pods/log, exec, attach, portforward, proxy; nodes/proxy; services/proxy):
// the parent object is checked here, the stream itself is served by AppDeps.connect.
import type { KubeObject } from "../../api/types.ts";
import { badRequest, serviceUnavailable } from "../../api/errors.ts";
import type { ResourceRequest, Server } from "../context.ts";
import { getObject } from "../objects.ts";

const containerNames = (pod: KubeObject, withInit: boolean): string[] => [
  ...(pod.spec?.containers ?? []).map((c: any) => c?.name),
  ...(withInit ? (pod.spec?.initContainers ?? []).map((c: any) => c?.name) : []),
  ...(withInit ? (pod.spec?.ephemeralContainers ?? []).map((c: any) => c?.name) : []),
];

/** Upstream's checks before a pod's log/exec/attach reaches the kubelet. */
function checkPodContainer(pod: KubeObject, rr: ResourceRequest): void {
  const name = pod.metadata!.name!;
  const sub = rr.subresource!;
  if (sub !== "log" && sub !== "exec" && sub !== "attach") return;
  const container = rr.query.get("container") ?? "";
  const all = containerNames(pod, true);
  if (!container) {
    const main = containerNames(pod, false);
    if (main.length !== 1 && !pod.metadata?.annotations?.["kubectl.kubernetes.io/default-container"])
      throw badRequest(`a container name must be specified for pod ${name}, choose one of: [${main.join(" ")}]`);
  } else if (!all.includes(container)) {
    throw badRequest(`container ${container} is not valid for pod ${name}`);
  }
  if (!pod.spec?.nodeName) throw badRequest(`pod ${name} does not have a host assigned`);
}

/** upstream's SplitSchemeNamePort: "web", "web:8080", "https:web:8443" */
function splitSchemeNamePort(id: string): { scheme: string; name: string; port: string } {
  const parts = id.split(":");
  const [scheme, name, port] = parts.length === 3 ? parts : parts.length === 2 ? ["", parts[0]!, parts[1]!] : ["", parts[0]!, ""];
  if (parts.length > 3 || !name || !["", "http", "https"].includes(scheme!)) throw badRequest(`invalid request ${JSON.stringify(id)}`);
  return { scheme: scheme!, name: name!, port: port! };
}

export async function handleConnect(s: Server, rr: ResourceRequest, proxyPath?: string): Promise<Response> {
  const target = rr.subresource === "proxy" ? splitSchemeNamePort(rr.name!) : { scheme: "", name: rr.name!, port: "" };
  const { obj } = await getObject(s, rr.info, rr.namespace, target.name);
  if (rr.info.group === "" && rr.info.resource === "pods") checkPodContainer(obj, rr);
  if (!s.deps.connect) throw serviceUnavailable(`no component serves ${rr.info.resource}/${rr.subresource} yet`);
  return s.deps.connect({
    request: rr.req,
    user: rr.user,
    group: rr.info.group,
    resource: rr.info.resource,
    subresource: rr.subresource!,
    namespace: rr.namespace,
    name: target.name,
    object: obj,
    path: proxyPath,
    ...(rr.subresource === "proxy" ? { scheme: target.scheme, port: target.port } : {}),
  });
}
