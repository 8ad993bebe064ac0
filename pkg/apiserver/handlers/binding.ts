// pods/binding (and the bindings resource): the scheduler's write of spec.nodeName.
import type { KubeObject } from "../../api/types.ts";
import { badRequest, conflict, invalid } from "../../api/errors.ts";
import type { ResourceRequest, Server } from "../context.ts";
import { decodeBody, requireObject } from "../codec.ts";
import { guaranteedUpdate } from "../objects.ts";
import { respond } from "../render.ts";
import { parseWriteOptions } from "../writeopts.ts";
import { nowRFC3339 } from "../deps/meta.ts";

export async function handleBinding(s: Server, rr: ResourceRequest, podsInfo: typeof rr.info, podName: string | undefined): Promise<Response> {
  const opts = parseWriteOptions(rr.query, rr.req.headers.get("user-agent"));
  const body = await decodeBody(rr.req, ["application/json", "application/yaml", "application/vnd.kubernetes.protobuf"]);
  const binding = requireObject(body.value);
  const name = podName ?? binding.metadata?.name;
  if (!name) throw badRequest("name is required in the Binding");
  if (binding.metadata?.name && binding.metadata.name !== name) throw badRequest(`the name of the object (${binding.metadata.name}) does not match the name on the URL (${name})`);
  const node = binding.target?.name;
  if (!node || (binding.target.kind && binding.target.kind !== "Node"))
    throw invalid({ group: "", kind: "Binding" }, name, [{ type: "FieldValueNotSupported", field: "target.kind", message: `Unsupported value: ${JSON.stringify(binding.target?.kind ?? "")}: supported values: "Node", "<empty>"` }]);
  await guaranteedUpdate(s, podsInfo, rr.namespace, name, opts.dryRun, (pod: KubeObject) => {
    if (pod.metadata?.deletionTimestamp) throw conflict({ group: "", resource: "pods" }, name, "pod is being deleted, cannot be assigned to a host");
    if (pod.spec?.nodeName) throw conflict({ group: "", resource: "pods" }, name, `pod ${name} is already assigned to node "${pod.spec.nodeName}"`);
    if (binding.metadata?.uid && binding.metadata.uid !== pod.metadata?.uid) throw conflict({ group: "", resource: "pods" }, name, "Precondition failed: UID in precondition does not match");
    pod.spec = { ...(pod.spec ?? {}), nodeName: node };
    const conds: any[] = (pod.status?.conditions ?? []).filter((c: any) => c?.type !== "PodScheduled");
    conds.push({ type: "PodScheduled", status: "True", lastProbeTime: null, lastTransitionTime: nowRFC3339(s.now().getTime()) });
    pod.status = { ...(pod.status ?? {}), conditions: conds };
    const ann = binding.metadata?.annotations;
    if (ann && typeof ann === "object") pod.metadata!.annotations = { ...(pod.metadata!.annotations ?? {}), ...ann };
    delete pod.metadata!.resourceVersion;
    return pod;
  });
  return respond(rr, 201, { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code: 201 });
}
