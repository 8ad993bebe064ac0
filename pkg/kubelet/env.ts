// Container environment as upstream's kubelet builds it (kubelet_pods.go makeEnvironmentVariables):
// service-link variables, then envFrom, then env in order; $(VAR) references expand against what is
// defined so far; the same expansion applies to command and args.
import { parseQuantity } from "../api/validation/quantity.ts";

/** expansion.Expand: $(NAME) → value when defined, `$$` → `$`, anything else unchanged. */
export function expand(input: string, lookup: (name: string) => string | undefined): string {
  let out = "";
  for (let i = 0; i < input.length; i++) {
    const ch = input[i];
    if (ch !== "$" || i + 1 >= input.length) {
      out += ch;
      continue;
    }
    const next = input[i + 1];
    if (next === "$") {
      out += "$";
      i++;
    } else if (next === "(") {
      const end = input.indexOf(")", i + 2);
      if (end < 0) {
        out += input.slice(i);
        break;
      }
      const name = input.slice(i + 2, end);
      const v = lookup(name);
      out += v !== undefined ? v : `$(${name})`;
      i = end;
    } else out += ch;
  }
  return out;
}

export interface EnvSources {
  configMap(namespace: string, name: string): Record<string, string> | undefined;
  secret(namespace: string, name: string): Record<string, string> | undefined;
  /** downward API value of a fieldRef path (metadata.name, status.podIP …) */
  field(path: string): string | undefined;
  /** container resources for resourceFieldRef */
  containerResources(containerName: string): { requests?: Record<string, unknown>; limits?: Record<string, unknown> } | undefined;
  /** node allocatable: the default for unset limits */
  nodeAllocatable: { cpu: string; memory: string; "ephemeral-storage"?: string };
  /** service link variables (enableServiceLinks), lowest precedence */
  serviceEnv: Record<string, string>;
}

/** A configuration error shown as CreateContainerConfigError. */
export class ConfigError extends Error {}

const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/** resourceFieldRef with divisor: ceil(value / divisor), like upstream's ExtractContainerResourceValue. */
export function resourceValue(ref: { resource: string; divisor?: unknown; containerName?: string }, res: { requests?: Record<string, unknown>; limits?: Record<string, unknown> } | undefined, alloc: EnvSources["nodeAllocatable"]): string {
  const [kind, name] = ref.resource.split(".");
  const divisor = parseQuantity(ref.divisor ?? 0) || (name === "cpu" ? 1 : 1);
  const from = kind === "limits" ? res?.limits : res?.requests;
  let q = from?.[name];
  if (q === undefined && kind === "limits") q = (alloc as Record<string, unknown>)[name];
  if (q === undefined && kind === "requests") q = name === "cpu" ? 0 : 0;
  const v = parseQuantity(q) ?? 0;
  return String(Math.ceil(v / divisor));
}

export function buildEnv(pod: any, c: any, s: EnvSources): string[] {
  const ns = pod.metadata.namespace;
  const vars = new Map<string, string>();
  const order: string[] = [];
  const set = (k: string, v: string) => {
    if (!vars.has(k)) order.push(k);
    vars.set(k, v);
  };
  for (const [k, v] of Object.entries(s.serviceEnv)) set(k, v);
  for (const ef of c.envFrom ?? []) {
    const prefix = ef.prefix ?? "";
    let data: Record<string, string> | undefined;
    if (ef.configMapRef) {
      data = s.configMap(ns, ef.configMapRef.name);
      if (!data && !ef.configMapRef.optional) throw new ConfigError(`configmap "${ef.configMapRef.name}" not found`);
    } else if (ef.secretRef) {
      data = s.secret(ns, ef.secretRef.name);
      if (!data && !ef.secretRef.optional) throw new ConfigError(`secret "${ef.secretRef.name}" not found`);
    }
    for (const [k, v] of Object.entries(data ?? {})) if (ENV_NAME.test(prefix + k)) set(prefix + k, v);
  }
  const lookup = (n: string) => vars.get(n);
  for (const e of c.env ?? []) {
    if (e.valueFrom === undefined) {
      set(e.name, expand(e.value ?? "", lookup));
      continue;
    }
    const vf = e.valueFrom;
    if (vf.fieldRef) {
      const v = s.field(vf.fieldRef.fieldPath);
      if (v === undefined) throw new ConfigError(`unsupported fieldPath ${vf.fieldRef.fieldPath}`);
      set(e.name, v);
    } else if (vf.resourceFieldRef) {
      set(e.name, resourceValue(vf.resourceFieldRef, s.containerResources(vf.resourceFieldRef.containerName || c.name), s.nodeAllocatable));
    } else if (vf.configMapKeyRef) {
      const r = vf.configMapKeyRef;
      const data = s.configMap(ns, r.name);
      if (!data) {
        if (r.optional) continue;
        throw new ConfigError(`configmap "${r.name}" not found`);
      }
      if (!(r.key in data)) {
        if (r.optional) continue;
        throw new ConfigError(`couldn't find key ${r.key} in ConfigMap ${ns}/${r.name}`);
      }
      set(e.name, data[r.key]);
    } else if (vf.secretKeyRef) {
      const r = vf.secretKeyRef;
      const data = s.secret(ns, r.name);
      if (!data) {
        if (r.optional) continue;
        throw new ConfigError(`secret "${r.name}" not found`);
      }
      if (!(r.key in data)) {
        if (r.optional) continue;
        throw new ConfigError(`couldn't find key ${r.key} in Secret ${ns}/${r.name}`);
      }
      set(e.name, data[r.key]);
    }
  }
  return order.map((k) => `${k}=${vars.get(k)}`);
}

/** command/args with $(VAR) expanded against the container's final environment. */
export function expandArgs(list: string[] | undefined, env: string[]): string[] | undefined {
  if (!list) return undefined;
  const m = new Map(env.map((e) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)]));
  return list.map((a) => expand(a, (n) => m.get(n)));
}

/** Docker-link style variables for every service in the namespace (plus the kubernetes service from default). */
export function serviceLinkEnv(services: any[], namespace: string, enableServiceLinks: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  const chosen = services.filter((sv) => {
    const ip = sv.spec?.clusterIP;
    if (!ip || ip === "None") return false;
    // the master service is always linked, whatever enableServiceLinks says
    if (sv.metadata.namespace === "default" && sv.metadata.name === "kubernetes") return true;
    return sv.metadata.namespace === namespace && enableServiceLinks;
  });
  // namespace-local services win over the master service of the same name
  chosen.sort((a, b) => Number(a.metadata.namespace === namespace) - Number(b.metadata.namespace === namespace));
  for (const sv of chosen) {
    const name = sv.metadata.name.toUpperCase().replace(/-/g, "_");
    const ip = sv.spec.clusterIP;
    const ports = sv.spec.ports ?? [];
    if (!ports.length) continue;
    out[`${name}_SERVICE_HOST`] = ip;
    out[`${name}_SERVICE_PORT`] = String(ports[0].port);
    for (const p of ports) if (p.name) out[`${name}_SERVICE_PORT_${p.name.toUpperCase().replace(/-/g, "_")}`] = String(p.port);
    const first = ports[0];
    const proto = (first.protocol ?? "TCP").toLowerCase();
    out[`${name}_PORT`] = `${proto}://${ip}:${first.port}`;
    for (const p of ports) {
      const pr = (p.protocol ?? "TCP");
      const pre = `${name}_PORT_${p.port}_${pr}`;
      out[pre] = `${pr.toLowerCase()}://${ip}:${p.port}`;
      out[`${pre}_PROTO`] = pr.toLowerCase();
      out[`${pre}_PORT`] = String(p.port);
      out[`${pre}_ADDR`] = ip;
    }
  }
  return out;
}
