// DeleteOptions from a JSON/YAML/protobuf body or from query parameters (client-node sends those).
import { badRequest, invalid } from "../../api/errors.ts";
import { decodeBody, queryBool, requireObject } from "../codec.ts";

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: "Background" | "Foreground" | "Orphan";
  orphanDependents?: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun: boolean;
}

export async function parseDeleteOptions(req: Request, q: URLSearchParams): Promise<DeleteOptions> {
  let body: Record<string, any> = {};
  const len = req.headers.get("content-length");
  if (req.body && len !== "0") {
    const ct = req.headers.get("content-type");
    const d = await decodeBody(req, ["application/json", "application/yaml", "application/vnd.kubernetes.protobuf"], ct ? undefined : "application/json").catch((e) => {
      // An empty body is no options at all.
      if (e?.status?.message === "the request body is empty") return undefined;
      throw e;
    });
    if (d) body = requireObject(d.value, "DeleteOptions object") as Record<string, any>;
  }
  const opts: DeleteOptions = { dryRun: false };
  const grace = body.gracePeriodSeconds ?? (q.get("gracePeriodSeconds") !== null ? Number(q.get("gracePeriodSeconds")) : undefined);
  if (grace !== undefined && grace !== null) {
    if (typeof grace !== "number" || !Number.isInteger(grace)) throw badRequest(`gracePeriodSeconds: invalid value ${JSON.stringify(grace)}`);
    opts.gracePeriodSeconds = grace;
  }
  const policy = body.propagationPolicy ?? q.get("propagationPolicy") ?? undefined;
  if (policy !== undefined && policy !== null) {
    if (policy !== "Background" && policy !== "Foreground" && policy !== "Orphan")
      throw invalid({ group: "meta.k8s.io", kind: "DeleteOptions" }, "", [
        { type: "FieldValueNotSupported", field: "propagationPolicy", message: `Unsupported value: ${JSON.stringify(policy)}: supported values: "Foreground", "Background", "Orphan", "nil"` },
      ]);
    opts.propagationPolicy = policy;
  }
  const orphan = body.orphanDependents ?? (q.get("orphanDependents") !== null ? queryBool(q, "orphanDependents") : undefined);
  if (orphan !== undefined && orphan !== null) {
    if (opts.propagationPolicy) throw invalid({ group: "meta.k8s.io", kind: "DeleteOptions" }, "", [{ type: "FieldValueInvalid", field: "propagationPolicy", message: `Invalid value: ${JSON.stringify(opts.propagationPolicy)}: orphanDependents and deletionPropagation cannot be both set` }]);
    opts.orphanDependents = Boolean(orphan);
  }
  if (body.preconditions && typeof body.preconditions === "object") opts.preconditions = body.preconditions;
  const dry: unknown[] = Array.isArray(body.dryRun) ? body.dryRun : q.getAll("dryRun");
  for (const d of dry) if (d !== "All") throw badRequest(`dryRun: Unsupported value: ${JSON.stringify(d)}: supported values: "All"`);
  opts.dryRun = dry.length > 0;
  return opts;
}
