// Pod spec validation (core/validation ValidatePodSpec and friends) with upstream's paths and messages.
import type { FieldError } from "../types.ts";
import { deepEqual } from "../meta/index.ts";
import { duplicate, forbidden, invalid, invalidEach, notFound, notSupported, required } from "./field.ts";
import { nonNegative, oneOf, validateLabels } from "./meta.ts";
import { isDNS1123Label, isDNS1123Subdomain, isEnvVarName, isQualifiedName, isValidPortName, isValidPortNum } from "./names.ts";
import { parseQuantity, QUANTITY_ERROR } from "./quantity.ts";

const arr = (v: unknown): any[] => (Array.isArray(v) ? v : []);
const PROTOCOLS = ["SCTP", "TCP", "UDP"];

/** ValidatePortNumOrName for intstr ports (probes, service targetPort). */
export function validatePortNumOrName(port: unknown, path: string): FieldError[] {
  if (typeof port === "number") return invalidEach(path, port, isValidPortNum(port));
  if (typeof port === "string") {
    if (port === "") return [required(path)];
    return invalidEach(path, port, isValidPortName(port));
  }
  if (port === undefined || port === null) return [required(path)];
  return [invalid(path, port, "must be an int or a string")];
}

function validateHandler(h: any, path: string, kinds: string[]): FieldError[] {
  if (!h || typeof h !== "object") return [];
  const present = kinds.filter((k) => h[k] !== undefined && h[k] !== null);
  if (present.length === 0) return [required(path, "must specify a handler type")];
  const errs: FieldError[] = [];
  if (present.length > 1) errs.push(forbidden(`${path}.${present[1]}`, "may not specify more than 1 handler type"));
  const k = present[0]!;
  const p = `${path}.${k}`;
  const v = h[k];
  if (k === "exec" && arr(v.command).length === 0) errs.push(required(`${p}.command`));
  if (k === "httpGet") {
    if (!v.path) errs.push(required(`${p}.path`));
    errs.push(...validatePortNumOrName(v.port, `${p}.port`));
    errs.push(...oneOf(v.scheme, ["HTTP", "HTTPS"], `${p}.scheme`));
  }
  if (k === "tcpSocket") errs.push(...validatePortNumOrName(v.port, `${p}.port`));
  if (k === "grpc") errs.push(...invalidEach(`${p}.port`, v.port, isValidPortNum(Number(v.port))));
  if (k === "sleep" && !(typeof v.seconds === "number" && v.seconds >= 0))
    errs.push(invalid(`${p}.seconds`, v.seconds ?? 0, "must be greater than or equal to 0"));
  return errs;
}

function validateProbe(p: any, path: string, mustBeOne: boolean): FieldError[] {
  if (!p || typeof p !== "object") return [];
  const errs = validateHandler(p, path, ["exec", "httpGet", "tcpSocket", "grpc"]);
  for (const f of ["initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold"])
    errs.push(...nonNegative(p[f], `${path}.${f}`));
  if (typeof p.terminationGracePeriodSeconds === "number" && p.terminationGracePeriodSeconds <= 0)
    errs.push(invalid(`${path}.terminationGracePeriodSeconds`, p.terminationGracePeriodSeconds, "must be greater than 0"));
  if (mustBeOne && p.successThreshold !== undefined && p.successThreshold !== 1) errs.push(invalid(`${path}.successThreshold`, p.successThreshold, "must be 1"));
  return errs;
}

function validateResources(res: any, path: string): FieldError[] {
  if (!res || typeof res !== "object") return [];
  const errs: FieldError[] = [];
  const lim = res.limits ?? {};
  const req = res.requests ?? {};
  for (const [kind, m] of [["limits", lim], ["requests", req]] as const)
    for (const [name, q] of Object.entries(m as Record<string, unknown>)) {
      const v = parseQuantity(q);
      if (v === undefined) errs.push(invalid(`${path}.${kind}[${name}]`, q, QUANTITY_ERROR));
      else if (v < 0) errs.push(invalid(`${path}.${kind}[${name}]`, String(q), "must be greater than or equal to 0"));
    }
  for (const [name, q] of Object.entries(req as Record<string, unknown>)) {
    if (!(name in lim)) continue;
    const r = parseQuantity(q);
    const l = parseQuantity(lim[name]);
    if (r !== undefined && l !== undefined && r > l)
      errs.push(invalid(`${path}.requests[${name}]`, String(q), `must be less than or equal to ${name} limit of ${String(lim[name])}`));
  }
  return errs;
}

function validateContainer(c: any, path: string, names: Set<string>, volumes: Set<string>, kind: "init" | "regular"): FieldError[] {
  const errs: FieldError[] = [];
  if (!c?.name) errs.push(required(`${path}.name`));
  else {
    errs.push(...invalidEach(`${path}.name`, c.name, isDNS1123Label(String(c.name))));
    if (names.has(c.name)) errs.push(duplicate(`${path}.name`, c.name));
    names.add(c.name);
  }
  if (!c?.image) errs.push(required(`${path}.image`));
  else if (String(c.image) !== String(c.image).trim()) errs.push(invalid(`${path}.image`, c.image, "must not have leading or trailing whitespace"));
  errs.push(...oneOf(c?.imagePullPolicy, ["Always", "IfNotPresent", "Never"], `${path}.imagePullPolicy`));
  errs.push(...oneOf(c?.terminationMessagePolicy, ["FallbackToLogsOnError", "File"], `${path}.terminationMessagePolicy`));
  const portNames = new Set<string>();
  arr(c?.ports).forEach((p, i) => {
    const pp = `${path}.ports[${i}]`;
    if (p?.name) {
      errs.push(...invalidEach(`${pp}.name`, p.name, isValidPortName(String(p.name))));
      if (portNames.has(p.name)) errs.push(duplicate(`${pp}.name`, p.name));
      portNames.add(p.name);
    }
    if (!p?.containerPort) errs.push(required(`${pp}.containerPort`));
    else errs.push(...invalidEach(`${pp}.containerPort`, p.containerPort, isValidPortNum(p.containerPort)));
    if (p?.hostPort) errs.push(...invalidEach(`${pp}.hostPort`, p.hostPort, isValidPortNum(p.hostPort)));
    errs.push(...oneOf(p?.protocol, PROTOCOLS, `${pp}.protocol`, true));
  });
  arr(c?.env).forEach((e, i) => {
    const ep = `${path}.env[${i}]`;
    if (!e?.name) errs.push(required(`${ep}.name`));
    else errs.push(...invalidEach(`${ep}.name`, e.name, isEnvVarName(String(e.name))));
    if (e?.valueFrom && e?.value) errs.push(invalid(`${ep}.valueFrom`, "", "may not be specified when `value` is not empty"));
  });
  const mountPaths = new Set<string>();
  arr(c?.volumeMounts).forEach((m, i) => {
    const mp = `${path}.volumeMounts[${i}]`;
    if (!m?.name) errs.push(required(`${mp}.name`));
    else if (!volumes.has(m.name)) errs.push(notFound(`${mp}.name`, m.name));
    if (!m?.mountPath) errs.push(required(`${mp}.mountPath`));
    else {
      if (mountPaths.has(m.mountPath)) errs.push(invalid(`${mp}.mountPath`, m.mountPath, "must be unique"));
      mountPaths.add(m.mountPath);
    }
  });
  errs.push(...validateResources(c?.resources, `${path}.resources`));
  const sidecar = kind === "init" && c?.restartPolicy === "Always";
  if (kind === "init" && !sidecar) {
    for (const f of ["lifecycle", "livenessProbe", "readinessProbe", "startupProbe"])
      if (c?.[f]) errs.push(forbidden(`${path}.${f}`, `may not be set for init containers without restartPolicy=Always`));
  } else {
    errs.push(...validateProbe(c?.livenessProbe, `${path}.livenessProbe`, true));
    errs.push(...validateProbe(c?.startupProbe, `${path}.startupProbe`, true));
    if (!sidecar) errs.push(...validateProbe(c?.readinessProbe, `${path}.readinessProbe`, false));
    if (c?.lifecycle) {
      errs.push(...validateHandler(c.lifecycle.postStart, `${path}.lifecycle.postStart`, ["exec", "httpGet", "tcpSocket", "sleep"]));
      errs.push(...validateHandler(c.lifecycle.preStop, `${path}.lifecycle.preStop`, ["exec", "httpGet", "tcpSocket", "sleep"]));
    }
  }
  if (kind === "init" && c?.restartPolicy !== undefined && c.restartPolicy !== "Always")
    errs.push(notSupported(`${path}.restartPolicy`, c.restartPolicy, ["Always"]));
  if (kind === "regular" && c?.restartPolicy !== undefined)
    errs.push(forbidden(`${path}.restartPolicy`, "may not be set for non-init containers"));
  return errs;
}

const VOLUME_SOURCES = [
  "hostPath", "emptyDir", "gcePersistentDisk", "awsElasticBlockStore", "gitRepo", "secret", "nfs", "iscsi", "glusterfs",
  "persistentVolumeClaim", "rbd", "flexVolume", "cinder", "cephfs", "flocker", "downwardAPI", "fc", "azureFile", "configMap",
  "vsphereVolume", "quobyte", "azureDisk", "photonPersistentDisk", "projected", "portworxVolume", "scaleIO", "storageos", "csi",
  "ephemeral", "image",
];

function validateVolumes(vols: unknown, path: string): { errs: FieldError[]; names: Set<string> } {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  arr(vols).forEach((v, i) => {
    const vp = `${path}[${i}]`;
    if (!v?.name) errs.push(required(`${vp}.name`));
    else {
      errs.push(...invalidEach(`${vp}.name`, v.name, isDNS1123Label(String(v.name))));
      if (names.has(v.name)) errs.push(duplicate(`${vp}.name`, v.name));
      names.add(v.name);
    }
    const sources = VOLUME_SOURCES.filter((s) => v?.[s] !== undefined && v?.[s] !== null);
    if (sources.length === 0) errs.push(required(vp, "must specify a volume type"));
    else if (sources.length > 1) errs.push(forbidden(`${vp}.${sources[1]}`, "may not specify more than 1 volume type"));
    if (v?.hostPath && !v.hostPath.path) errs.push(required(`${vp}.hostPath.path`));
    if (v?.configMap && !v.configMap.name) errs.push(required(`${vp}.configMap.name`));
    if (v?.secret && !v.secret.secretName) errs.push(required(`${vp}.secret.secretName`));
    if (v?.persistentVolumeClaim && !v.persistentVolumeClaim.claimName) errs.push(required(`${vp}.persistentVolumeClaim.claimName`));
    for (const k of ["configMap", "secret", "downwardAPI", "projected"]) {
      const mode = v?.[k]?.defaultMode;
      if (mode !== undefined && (typeof mode !== "number" || mode < 0 || mode > 0o777))
        errs.push(invalid(`${vp}.${k}.defaultMode`, mode, "must be a number between 0 and 0777 (octal), both inclusive"));
    }
  });
  return { errs, names };
}

function validateTolerations(tols: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  arr(tols).forEach((t, i) => {
    const tp = `${path}[${i}]`;
    if (t?.key) errs.push(...invalidEach(`${tp}.key`, t.key, isQualifiedName(String(t.key))));
    if (!t?.key && t?.operator !== "Exists") errs.push(invalid(`${tp}.operator`, t?.operator ?? "", "operator must be Exists when `key` is empty, which means \"match all values and all keys\""));
    if (t?.operator === "Exists" && t?.value) errs.push(invalid(`${tp}.operator`, t.value, "value must be empty when `operator` is 'Exists'"));
    if (t?.operator !== undefined && t.operator !== "" && !["Equal", "Exists"].includes(t.operator)) errs.push(notSupported(`${tp}.operator`, t.operator, ["Equal", "Exists"]));
    if (typeof t?.tolerationSeconds === "number" && t?.effect !== "NoExecute")
      errs.push(invalid(`${tp}.effect`, t?.effect ?? "", "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    if (t?.effect) errs.push(...oneOf(t.effect, ["NoExecute", "NoSchedule", "PreferNoSchedule"], `${tp}.effect`));
  });
  return errs;
}

/** ValidatePodSpec at `path` (e.g. "spec" or "spec.template.spec"). */
export function validatePodSpec(spec: any, path: string): FieldError[] {
  const s = spec ?? {};
  const { errs, names: volumes } = validateVolumes(s.volumes, `${path}.volumes`);
  const containerNames = new Set<string>();
  if (arr(s.containers).length === 0) errs.push(required(`${path}.containers`));
  arr(s.initContainers).forEach((c, i) => errs.push(...validateContainer(c, `${path}.initContainers[${i}]`, containerNames, volumes, "init")));
  arr(s.containers).forEach((c, i) => errs.push(...validateContainer(c, `${path}.containers[${i}]`, containerNames, volumes, "regular")));
  errs.push(...oneOf(s.restartPolicy, ["Always", "OnFailure", "Never"], `${path}.restartPolicy`, true));
  errs.push(...oneOf(s.dnsPolicy, ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"], `${path}.dnsPolicy`, true));
  if (s.dnsPolicy === "None" && !s.dnsConfig) errs.push(required(`${path}.dnsConfig`, "must provide `dnsConfig` when `dnsPolicy` is None"));
  errs.push(...validateLabels(s.nodeSelector, `${path}.nodeSelector`));
  if (s.nodeName) errs.push(...invalidEach(`${path}.nodeName`, s.nodeName, isDNS1123Subdomain(String(s.nodeName))));
  if (s.serviceAccountName) errs.push(...invalidEach(`${path}.serviceAccountName`, s.serviceAccountName, isDNS1123Subdomain(String(s.serviceAccountName))));
  if (s.hostname) errs.push(...invalidEach(`${path}.hostname`, s.hostname, isDNS1123Label(String(s.hostname))));
  if (s.subdomain) errs.push(...invalidEach(`${path}.subdomain`, s.subdomain, isDNS1123Label(String(s.subdomain))));
  if (s.activeDeadlineSeconds !== undefined && s.activeDeadlineSeconds !== null) {
    const v = s.activeDeadlineSeconds;
    if (!(Number.isInteger(v) && v >= 1 && v <= 2147483647)) errs.push(invalid(`${path}.activeDeadlineSeconds`, v, "must be between 1 and 2147483647, inclusive"));
  }
  if (typeof s.terminationGracePeriodSeconds === "number" && s.terminationGracePeriodSeconds < 0)
    errs.push(invalid(`${path}.terminationGracePeriodSeconds`, s.terminationGracePeriodSeconds, "must be greater than or equal to 0"));
  errs.push(...validateTolerations(s.tolerations, `${path}.tolerations`));
  if (s.hostNetwork === true)
    arr(s.containers).forEach((c, i) =>
      arr(c?.ports).forEach((p, j) => {
        if (p?.hostPort && p.hostPort !== p.containerPort)
          errs.push(invalid(`${path}.containers[${i}].ports[${j}].containerPort`, p.containerPort, "must match `hostPort` when `hostNetwork` is true"));
      }),
    );
  return errs;
}

export function validatePodCreate(pod: any): FieldError[] {
  const errs = validatePodSpec(pod?.spec, "spec");
  if (arr(pod?.spec?.ephemeralContainers).length > 0) errs.push(forbidden("spec.ephemeralContainers", "cannot be set on create"));
  return errs;
}

export const POD_UPDATE_FORBIDDEN =
  "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";

/** A short, readable diff standing in for upstream's cmp.Diff of the two specs. */
export function specDiff(oldV: unknown, newV: unknown, path = ""): string[] {
  if (deepEqual(oldV, newV)) return [];
  const isObj = (x: unknown) => typeof x === "object" && x !== null;
  if (isObj(oldV) && isObj(newV) && Array.isArray(oldV) === Array.isArray(newV)) {
    const keys = new Set([...Object.keys(oldV as object), ...Object.keys(newV as object)]);
    const out: string[] = [];
    for (const k of [...keys].sort()) {
      const sub = Array.isArray(oldV) ? `${path}[${k}]` : path ? `${path}.${k}` : k;
      out.push(...specDiff((oldV as any)[k], (newV as any)[k], sub));
    }
    return out;
  }
  return [`  ${path}: ${JSON.stringify(oldV ?? null)} -> ${JSON.stringify(newV ?? null)}`];
}

export function validatePodUpdate(pod: any, old: any): FieldError[] {
  const errs = validatePodSpec(pod?.spec, "spec");
  const n = structuredClone(pod?.spec ?? {});
  const o = old?.spec ?? {};
  // Munge the mutable fields to their old values, then anything left differing is forbidden.
  arr(n.containers).forEach((c, i) => {
    if (o.containers?.[i]) c.image = o.containers[i].image;
  });
  arr(n.initContainers).forEach((c, i) => {
    if (o.initContainers?.[i]) c.image = o.initContainers[i].image;
  });
  n.activeDeadlineSeconds = o.activeDeadlineSeconds;
  if (typeof o.terminationGracePeriodSeconds === "number" && o.terminationGracePeriodSeconds < 0 && n.terminationGracePeriodSeconds === 1)
    n.terminationGracePeriodSeconds = o.terminationGracePeriodSeconds;
  // Tolerations may only be added.
  const oldTols = arr(o.tolerations);
  const newTols = arr(n.tolerations);
  if (oldTols.every((t) => newTols.some((x) => deepEqual(x, t)))) n.tolerations = o.tolerations;
  // Scheduling gates may only be removed.
  const oldGates = arr(o.schedulingGates);
  if (arr(n.schedulingGates).every((g) => oldGates.some((x) => deepEqual(x, g)))) n.schedulingGates = o.schedulingGates;
  for (const k of Object.keys(n)) if (n[k] === undefined) delete n[k];
  if (!deepEqual(n, o)) errs.push(forbidden("spec", `${POD_UPDATE_FORBIDDEN}\n${specDiff(o, n).join("\n")}\n`));
  if (typeof o.activeDeadlineSeconds === "number") {
    const v = pod?.spec?.activeDeadlineSeconds;
    if (v === undefined || v === null) errs.push(invalid("spec.activeDeadlineSeconds", null, "must not update from a positive integer to nil value"));
    else if (v > o.activeDeadlineSeconds) errs.push(invalid("spec.activeDeadlineSeconds", v, "must be less than or equal to previous value"));
  }
  return errs;
}
