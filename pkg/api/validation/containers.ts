// Container validation (validateContainers / validateInitContainers and their parts) with upstream's paths and messages.
import type { FieldError } from "../types.ts";
import { duplicate, forbidden, invalid, invalidEach, notFound, notSupported, required } from "./field.ts";
import { nonNegative, oneOf } from "./meta.ts";
import { isConfigMapKey, isDNS1123Label, isQualifiedName, isRelaxedEnvVarName, isValidPortName, isValidPortNum } from "./names.ts";
import { validateSecurityContext } from "./security.ts";
import { canonicalQuantity, compareQuantities, parseQuantity, QUANTITY_ERROR } from "./quantity.ts";

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

const STANDARD_CONTAINER_RESOURCES = ["cpu", "memory", "ephemeral-storage"];

/** ValidateResourceRequirements: names, non-negative quantities, requests within limits. */
function validateResources(res: any, path: string): FieldError[] {
  if (!res || typeof res !== "object") return [];
  const errs: FieldError[] = [];
  const lim: Record<string, unknown> = res.limits ?? {};
  const req: Record<string, unknown> = res.requests ?? {};
  const checkEntry = (kind: string, name: string, q: unknown) => {
    const fp = `${path}.${kind}[${name}]`;
    if (!name.includes("/")) {
      if (!STANDARD_CONTAINER_RESOURCES.includes(name) && !name.startsWith("hugepages-"))
        errs.push(invalid(fp, name, "must be a standard resource for containers"));
    } else errs.push(...invalidEach(fp, name, isQualifiedName(name)));
    const v = parseQuantity(q);
    if (v === undefined) errs.push(invalid(fp, q, QUANTITY_ERROR));
    else if (v < 0) errs.push(invalid(fp, canonicalQuantity(q), "must be greater than or equal to 0"));
  };
  for (const [name, q] of Object.entries(lim)) checkEntry("limits", name, q);
  for (const [name, q] of Object.entries(req)) {
    checkEntry("requests", name, q);
    if (Object.hasOwn(lim, name)) {
      const cmp = compareQuantities(q, lim[name]);
      // Extended resources (and hugepages) cannot be overcommitted: requests must equal limits.
      const exact = name.includes("/") || name.startsWith("hugepages-");
      if (cmp !== undefined && cmp !== 0 && exact)
        errs.push(invalid(`${path}.requests`, canonicalQuantity(q), `must be equal to ${name} limit of ${canonicalQuantity(lim[name])}`));
      else if (cmp !== undefined && cmp > 0)
        errs.push(invalid(`${path}.requests`, canonicalQuantity(q), `must be less than or equal to ${name} limit of ${canonicalQuantity(lim[name])}`));
    } else if (name.includes("/") || name.startsWith("hugepages-"))
      errs.push(required(`${path}.limits`, "Limit must be set for non overcommitable resources"));
  }
  return errs;
}

const VALID_ENV_FIELD_PATHS = [
  "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName",
  "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs",
];

function validateEnv(env: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  arr(env).forEach((e, i) => {
    const ep = `${path}[${i}]`;
    // RelaxedEnvironmentVariableValidation is on by default since 1.32.
    if (!e?.name) errs.push(required(`${ep}.name`));
    else errs.push(...invalidEach(`${ep}.name`, e.name, isRelaxedEnvVarName(String(e.name))));
    const vf = e?.valueFrom;
    if (!vf) return;
    const vp = `${ep}.valueFrom`;
    const sources = ["fieldRef", "resourceFieldRef", "configMapKeyRef", "secretKeyRef", "fileKeyRef"].filter((k) => vf[k]);
    if (vf.fieldRef) {
      const fr = vf.fieldRef;
      if (!fr.apiVersion) errs.push(required(`${vp}.fieldRef.apiVersion`));
      else if (!fr.fieldPath) errs.push(required(`${vp}.fieldRef.fieldPath`));
      else {
        const m = /^(metadata\.(?:labels|annotations))\['(.*)'\]$/.exec(fr.fieldPath);
        if (m) errs.push(...invalidEach(`${vp}.fieldRef`, m[2], isQualifiedName(m[1] === "metadata.annotations" ? m[2]!.toLowerCase() : m[2]!)));
        else if (!VALID_ENV_FIELD_PATHS.includes(fr.fieldPath)) errs.push(notSupported(`${vp}.fieldRef.fieldPath`, fr.fieldPath, VALID_ENV_FIELD_PATHS));
      }
    }
    for (const k of ["configMapKeyRef", "secretKeyRef"]) {
      const ref = vf[k];
      if (!ref) continue;
      if (!ref.key) errs.push(required(`${vp}.${k}.key`));
      else errs.push(...invalidEach(`${vp}.${k}.key`, ref.key, isConfigMapKey(String(ref.key))));
    }
    if (sources.length === 0) errs.push(invalid(vp, "", "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`"));
    else if (e.value) errs.push(invalid(vp, "", "may not be specified when `value` is not empty"));
    else if (sources.length > 1) errs.push(invalid(vp, "", "may not have more than one field specified at a time"));
  });
  return errs;
}

function validateEnvFrom(envFrom: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  arr(envFrom).forEach((e, i) => {
    const ep = `${path}[${i}]`;
    if (e?.prefix) errs.push(...invalidEach(`${ep}.prefix`, e.prefix, isRelaxedEnvVarName(String(e.prefix))));
    const n = (e?.configMapRef ? 1 : 0) + (e?.secretRef ? 1 : 0);
    for (const k of ["configMapRef", "secretRef"]) if (e?.[k] && !e[k].name) errs.push(required(`${ep}.${k}.name`));
    if (n === 0) errs.push(invalid(path, "", "must specify one of: `configMapRef` or `secretRef`"));
    else if (n > 1) errs.push(invalid(path, "", "may not have more than one field specified at a time"));
  });
  return errs;
}

function validatePorts(ports: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  arr(ports).forEach((p, i) => {
    const pp = `${path}[${i}]`;
    if (p?.name) {
      const msgs = isValidPortName(String(p.name));
      if (msgs.length) errs.push(...invalidEach(`${pp}.name`, p.name, msgs));
      else if (names.has(p.name)) errs.push(duplicate(`${pp}.name`, p.name));
      else names.add(p.name);
    }
    if (!p?.containerPort) errs.push(required(`${pp}.containerPort`));
    else errs.push(...invalidEach(`${pp}.containerPort`, p.containerPort, isValidPortNum(p.containerPort)));
    if (p?.hostPort) errs.push(...invalidEach(`${pp}.hostPort`, p.hostPort, isValidPortNum(p.hostPort)));
    errs.push(...oneOf(p?.protocol, PROTOCOLS, `${pp}.protocol`, true));
  });
  return errs;
}

function validateMounts(mounts: unknown, path: string, volumes: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  const mountPaths = new Set<string>();
  arr(mounts).forEach((m, i) => {
    const mp = `${path}[${i}]`;
    if (!m?.name) errs.push(required(`${mp}.name`));
    if (!volumes.has(m?.name)) errs.push(notFound(`${mp}.name`, m?.name ?? ""));
    if (!m?.mountPath) errs.push(required(`${mp}.mountPath`));
    if (mountPaths.has(m?.mountPath)) errs.push(invalid(`${mp}.mountPath`, m.mountPath, "must be unique"));
    mountPaths.add(m?.mountPath);
    if (m?.subPath && m?.subPathExpr) errs.push(invalid(`${mp}.subPathExpr`, m.subPathExpr, "subPathExpr and subPath are mutually exclusive"));
    for (const k of ["subPath", "subPathExpr"]) {
      const v = m?.[k];
      if (!v) continue;
      if (String(v).startsWith("/")) errs.push(invalid(`${path}.${k}`, v, "must be a relative path"));
      else if (String(v).split("/").includes("..")) errs.push(invalid(`${path}.${k}`, v, "must not contain '..'"));
    }
  });
  return errs;
}

const LIFECYCLE_HANDLERS = ["exec", "httpGet", "tcpSocket", "sleep"];

/** Checks shared by regular, init (sidecar) and ephemeral containers (validateContainerCommon). */
function validateContainerCommon(c: any, path: string, volumes: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  if (!c?.name) errs.push(required(`${path}.name`));
  else errs.push(...invalidEach(`${path}.name`, c.name, isDNS1123Label(String(c.name))));
  if (!c?.image) errs.push(required(`${path}.image`));
  const tmp = c?.terminationMessagePolicy;
  if (tmp === undefined || tmp === null || tmp === "") errs.push(required(`${path}.terminationMessagePolicy`, "must be 'File' or 'FallbackToLogsOnError'"));
  else if (tmp !== "File" && tmp !== "FallbackToLogsOnError") errs.push(invalid(`${path}.terminationMessagePolicy`, tmp, "must be 'File' or 'FallbackToLogsOnError'"));
  errs.push(...validatePorts(c?.ports, `${path}.ports`));
  errs.push(...validateEnv(c?.env, `${path}.env`));
  errs.push(...validateEnvFrom(c?.envFrom, `${path}.envFrom`));
  errs.push(...validateMounts(c?.volumeMounts, `${path}.volumeMounts`, volumes));
  errs.push(...oneOf(c?.imagePullPolicy, ["Always", "IfNotPresent", "Never"], `${path}.imagePullPolicy`, true));
  errs.push(...validateResources(c?.resources, `${path}.resources`));
  errs.push(...validateSecurityContext(c?.securityContext, `${path}.securityContext`));
  return errs;
}

function validateLifecycle(c: any, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (c?.lifecycle?.postStart) errs.push(...validateHandler(c.lifecycle.postStart, `${path}.lifecycle.postStart`, LIFECYCLE_HANDLERS));
  if (c?.lifecycle?.preStop) errs.push(...validateHandler(c.lifecycle.preStop, `${path}.lifecycle.preStop`, LIFECYCLE_HANDLERS));
  return errs;
}

function validateProbes(c: any, path: string, withReadiness: boolean): FieldError[] {
  const errs = validateProbe(c?.livenessProbe, `${path}.livenessProbe`, true);
  if (c?.readinessProbe?.terminationGracePeriodSeconds !== undefined && c?.readinessProbe?.terminationGracePeriodSeconds !== null)
    errs.push(invalid(`${path}.readinessProbe.terminationGracePeriodSeconds`, c.readinessProbe.terminationGracePeriodSeconds, "must not be set for readinessProbes"));
  errs.push(...validateProbe(c?.startupProbe, `${path}.startupProbe`, true));
  if (withReadiness) errs.push(...validateProbe(c?.readinessProbe, `${path}.readinessProbe`, false));
  return errs;
}

/** Regular containers: required, unique names, probes, lifecycle, and no restartPolicy. */
export function validateContainers(containers: unknown, path: string, volumes: Set<string>): { errs: FieldError[]; names: Set<string> } {
  const list = arr(containers);
  const names = new Set<string>();
  if (list.length === 0) return { errs: [required(path)], names };
  const errs: FieldError[] = [];
  list.forEach((c, i) => {
    const cp = `${path}[${i}]`;
    errs.push(...validateContainerCommon(c, cp, volumes));
    if (names.has(c?.name)) errs.push(duplicate(`${cp}.name`, c?.name ?? ""));
    else names.add(c?.name);
    if (c?.restartPolicy !== undefined && c?.restartPolicy !== null) errs.push(forbidden(`${cp}.restartPolicy`, "may not be set for non-init containers"));
    errs.push(...validateLifecycle(c, cp));
    errs.push(...validateProbes(c, cp, true));
  });
  errs.push(...hostPortConflicts(list, path));
  return { errs, names };
}

/** Init containers run one by one; restartPolicy=Always makes one a sidecar that may have probes. */
export function validateInitContainers(containers: unknown, path: string, volumes: Set<string>, taken: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set(taken);
  arr(containers).forEach((c, i) => {
    const cp = `${path}[${i}]`;
    errs.push(...validateContainerCommon(c, cp, volumes));
    if (names.has(c?.name)) errs.push(duplicate(`${cp}.name`, c?.name ?? ""));
    if (c?.name) names.add(c.name);
    const rp = c?.restartPolicy;
    if (rp !== undefined && rp !== null && rp !== "Always") errs.push(notSupported(`${cp}.restartPolicy`, rp, ["Always"]));
    if (rp === "Always") {
      errs.push(...validateLifecycle(c, cp));
      errs.push(...validateProbes(c, cp, true));
    } else {
      for (const f of ["lifecycle", "livenessProbe", "readinessProbe", "startupProbe"])
        if (c?.[f]) errs.push(forbidden(`${cp}.${f}`, "may not be set for init containers without restartPolicy=Always"));
    }
    errs.push(...hostPortConflicts([c], path));
  });
  return errs;
}

/** AccumulateUniqueHostPorts: a protocol/hostIP/hostPort triple may be used once. */
function hostPortConflicts(containers: any[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  containers.forEach((c, ci) =>
    arr(c?.ports).forEach((p, pi) => {
      if (!p?.hostPort) return;
      const key = `${p.protocol ?? ""}/${p.hostIP ?? ""}/${p.hostPort}`;
      if (seen.has(key)) errs.push(duplicate(`${path}[${ci}].ports[${pi}].hostPort`, key));
      else seen.add(key);
    }),
  );
  return errs;
}

