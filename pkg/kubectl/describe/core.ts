// describe service, namespace, configmap, secret, serviceaccount, and the generic describer.
import type { DescribeWriter } from "./gotabwriter.ts";
import { annotationsMultiline, describeEvents, formatLabels, labelsMultiline, rfc1123z } from "./common.ts";

function endpointsFor(slices: any[], portName: string): string {
  if (!slices.length) return "<none>";
  const list: string[] = [];
  let count = 0;
  let more = false;
  for (const s of slices) {
    const ports = s.ports ?? [];
    const ready = (e: any) => e.conditions?.ready !== false;
    if (!ports.length) {
      for (const e of s.endpoints ?? []) {
        if (list.length === 3) more = true;
        if (!ready(e)) continue;
        if (!more) list.push(e.addresses[0]);
        count++;
      }
      continue;
    }
    for (const p of ports) {
      if ((p.name ?? "") !== portName) continue;
      for (const e of s.endpoints ?? []) {
        if (list.length === 3) more = true;
        if (!ready(e)) continue;
        const a = e.addresses[0];
        if (!more) list.push(a.includes(":") ? `[${a}]:${p.port}` : `${a}:${p.port}`);
        count++;
      }
    }
  }
  return more ? `${list.join(",")} + ${count - 3} more...` : list.join(",");
}

export function describeService(w: DescribeWriter, svc: any, slices: any[], events: any[] | undefined, now: number): void {
  const spec = svc.spec ?? {};
  w.write(0, `Name:\t${svc.metadata.name}\n`);
  w.write(0, `Namespace:\t${svc.metadata.namespace}\n`);
  labelsMultiline(w, "Labels", svc.metadata.labels);
  annotationsMultiline(w, "Annotations", svc.metadata.annotations);
  w.write(0, `Selector:\t${formatLabels(spec.selector)}\n`);
  w.write(0, `Type:\t${spec.type ?? ""}\n`);
  if (spec.ipFamilyPolicy) w.write(0, `IP Family Policy:\t${spec.ipFamilyPolicy}\n`);
  w.write(0, `IP Families:\t${spec.ipFamilies?.length ? spec.ipFamilies.join(",") : "<none>"}\n`);
  w.write(0, `IP:\t${spec.clusterIP ?? ""}\n`);
  w.write(0, `IPs:\t${spec.clusterIPs?.length ? spec.clusterIPs.join(",") : "<none>"}\n`);
  if (spec.externalIPs?.length) w.write(0, `External IPs:\t${spec.externalIPs.join(",")}\n`);
  if (spec.loadBalancerIP) w.write(0, `Desired LoadBalancer IP:\t${spec.loadBalancerIP}\n`);
  if (spec.externalName) w.write(0, `External Name:\t${spec.externalName}\n`);
  const ing = svc.status?.loadBalancer?.ingress ?? [];
  if (ing.length) w.write(0, `LoadBalancer Ingress:\t${ing.map((i: any) => i.ip || i.hostname).join(", ")}\n`);
  for (const p of spec.ports ?? []) {
    const name = p.name || "<unset>";
    const proto = p.protocol ?? "TCP";
    w.write(0, `Port:\t${name}\t${p.port}/${proto}\n`);
    w.write(0, `TargetPort:\t${p.targetPort ?? p.port}/${proto}\n`);
    if (p.appProtocol) w.write(0, `AppProtocol:\t${p.appProtocol}\n`);
    if (p.nodePort) w.write(0, `NodePort:\t${name}\t${p.nodePort}/${proto}\n`);
    w.write(0, `Endpoints:\t${endpointsFor(slices, p.name ?? "")}\n`);
  }
  w.write(0, `Session Affinity:\t${spec.sessionAffinity ?? ""}\n`);
  if (spec.externalTrafficPolicy) w.write(0, `External Traffic Policy:\t${spec.externalTrafficPolicy}\n`);
  if (spec.internalTrafficPolicy) w.write(0, `Internal Traffic Policy:\t${spec.internalTrafficPolicy}\n`);
  if (spec.healthCheckNodePort) w.write(0, `HealthCheck NodePort:\t${spec.healthCheckNodePort}\n`);
  if (spec.loadBalancerSourceRanges?.length) w.write(0, `LoadBalancer Source Ranges:\t${spec.loadBalancerSourceRanges.join(",")}\n`);
  if (spec.trafficDistribution) w.write(0, `Traffic Distribution:\t${spec.trafficDistribution}\n`);
  describeEvents(w, events, now);
}

export function describeNamespace(w: DescribeWriter, ns: any, quotas: any[], limits: any[]): void {
  w.write(0, `Name:\t${ns.metadata.name}\n`);
  labelsMultiline(w, "Labels", ns.metadata.labels);
  annotationsMultiline(w, "Annotations", ns.metadata.annotations);
  w.write(0, `Status:\t${ns.status?.phase ?? ""}\n`);
  if (ns.status?.conditions?.length) {
    w.write(0, "Conditions:\n");
    w.write(1, "Type\tStatus\tLastTransitionTime\tReason\tMessage\n");
    w.write(1, "----\t------\t------------------\t------\t-------\n");
    for (const c of ns.status.conditions) w.write(1, `${c.type}\t${c.status}\t${rfc1123z(c.lastTransitionTime)}\t${c.reason ?? ""}\t${c.message ?? ""}\n`);
  }
  w.write(0, "\n");
  if (!quotas.length) w.write(0, "No resource quota.\n");
  else {
    w.write(0, "Resource Quotas\n");
    for (const q of [...quotas].sort((x, y) => String(x.metadata.name).localeCompare(String(y.metadata.name)))) {
      w.write(1, `Name:\t${q.metadata.name}\n`);
      w.write(1, "Resource\tUsed\tHard\n");
      w.write(1, "--------\t---\t---\n");
      for (const k of Object.keys(q.status?.hard ?? {}).sort()) w.write(1, `${k}\t${q.status?.used?.[k] ?? "0"}\t${q.status.hard[k]}\n`);
    }
  }
  w.write(0, "\n");
  if (!limits.length) w.write(0, "No LimitRange resource.\n");
  else {
    w.write(0, "Resource Limits\n Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n");
    w.write(0, " ----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n");
    for (const lr of limits) {
      for (const item of lr.spec?.limits ?? []) {
        const names = new Set<string>();
        for (const f of ["max", "min", "default", "defaultRequest", "maxLimitRequestRatio"]) for (const k of Object.keys(item[f] ?? {})) names.add(k);
        for (const k of names) {
          const v = (f: string) => item[f]?.[k] ?? "-";
          w.write(0, ` ${item.type}\t${k}\t${v("min")}\t${v("max")}\t${v("defaultRequest")}\t${v("default")}\t${v("maxLimitRequestRatio")}\n`);
        }
      }
    }
  }
}

export function describeConfigMap(w: DescribeWriter, cm: any, events: any[] | undefined, now: number): void {
  w.write(0, `Name:\t${cm.metadata.name}\n`);
  w.write(0, `Namespace:\t${cm.metadata.namespace}\n`);
  labelsMultiline(w, "Labels", cm.metadata.labels);
  annotationsMultiline(w, "Annotations", cm.metadata.annotations);
  w.write(0, "\nData\n====\n");
  for (const k of Object.keys(cm.data ?? {}).sort()) {
    w.write(0, `${k}:\n----\n`);
    w.write(0, `${cm.data[k]}\n`);
    w.write(0, "\n");
  }
  w.write(0, "\nBinaryData\n====\n");
  for (const k of Object.keys(cm.binaryData ?? {}).sort()) w.write(0, `${k}: ${Buffer.from(cm.binaryData[k], "base64").length} bytes\n`);
  w.write(0, "\n");
  describeEvents(w, events, now);
}

export function describeSecret(w: DescribeWriter, s: any): void {
  w.write(0, `Name:\t${s.metadata.name}\n`);
  w.write(0, `Namespace:\t${s.metadata.namespace}\n`);
  labelsMultiline(w, "Labels", s.metadata.labels);
  annotationsMultiline(w, "Annotations", s.metadata.annotations);
  w.write(0, `\nType:\t${s.type ?? ""}\n`);
  w.write(0, "\nData\n====\n");
  for (const k of Object.keys(s.data ?? {}).sort()) {
    const bytes = Buffer.from(s.data[k], "base64");
    if (k === "token" && s.type === "kubernetes.io/service-account-token") w.write(0, `${k}:\t${bytes.toString("utf8")}\n`);
    else w.write(0, `${k}:\t${bytes.length} bytes\n`);
  }
}

/** kubectl 1.33's service account description (pull secrets, mountable secrets, tokens). */
export function describeServiceAccount(w: DescribeWriter, sa: any, tokens: string[], events: any[] | undefined, now: number): void {
  w.write(0, `Name:\t${sa.metadata.name}\n`);
  w.write(0, `Namespace:\t${sa.metadata.namespace}\n`);
  labelsMultiline(w, "Labels", sa.metadata.labels);
  annotationsMultiline(w, "Annotations", sa.metadata.annotations);
  const sections: Array<[string, string[]]> = [
    ["Image pull secrets:", (sa.imagePullSecrets ?? []).map((s: any) => s.name)],
    ["Mountable secrets: ", (sa.secrets ?? []).map((s: any) => s.name)],
    ["Tokens:            ", tokens],
  ];
  for (const [header, names] of sections) {
    if (!names.length) w.write(0, `${header}\t<none>\n`);
    else names.forEach((n, i) => w.write(0, `${i ? " ".repeat(header.length) : header}\t${n}\n`));
  }
  describeEvents(w, events, now);
}

/** smartLabelFor: camelCase field names as Title Words, keeping API/URL/UID/GUID upper-case. */
export function smartLabel(field: string): string {
  if (/[^A-Za-z-]/.test(field)) return field;
  const parts = field.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|-/g) ?? [field];
  return parts
    .filter((p) => p !== "_")
    .map((p) => (["API", "URL", "UID", "GUID"].includes(p.toUpperCase()) ? p.toUpperCase() : p === p.toLowerCase() ? p[0]!.toUpperCase() + p.slice(1) : p))
    .join(" ");
}

const SKIP = new Set([".metadata.managedFields", ".metadata.name", ".metadata.namespace", ".metadata.labels", ".metadata.annotations"]);

function unstructured(w: DescribeWriter, level: number, content: Record<string, unknown>, prefix: string): void {
  for (const field of Object.keys(content).sort()) {
    const v = content[field];
    const path = `${prefix}.${field}`;
    if (SKIP.has(path)) continue;
    if (v && typeof v === "object" && !Array.isArray(v)) {
      w.write(level, `${smartLabel(field)}:\n`);
      unstructured(w, level + 1, v as Record<string, unknown>, path);
    } else if (Array.isArray(v)) {
      w.write(level, `${smartLabel(field)}:\n`);
      for (const c of v) {
        if (c && typeof c === "object" && !Array.isArray(c)) unstructured(w, level + 1, c as Record<string, unknown>, path);
        else w.write(level + 1, `${goValue(c)}\n`);
      }
    } else w.write(level, `${smartLabel(field)}:\t${goValue(v)}\n`);
  }
}

/** fmt's %v of a JSON value. */
function goValue(v: unknown): string {
  if (v === null || v === undefined) return "<nil>";
  if (Array.isArray(v)) return `[${v.map(goValue).join(" ")}]`;
  if (typeof v === "object") return `map[${Object.keys(v).sort().map((k) => `${k}:${goValue((v as any)[k])}`).join(" ")}]`;
  return String(v);
}

export function describeGeneric(w: DescribeWriter, obj: any, events: any[] | undefined, now: number): void {
  w.write(0, `Name:\t${obj.metadata?.name ?? ""}\n`);
  w.write(0, `Namespace:\t${obj.metadata?.namespace ?? ""}\n`);
  labelsMultiline(w, "Labels", obj.metadata?.labels);
  annotationsMultiline(w, "Annotations", obj.metadata?.annotations);
  unstructured(w, 0, obj, "");
  describeEvents(w, events, now);
}
