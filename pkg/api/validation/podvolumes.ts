// Pod volume validation (ValidateVolumes): names, exactly one source, and the common sources' fields.
import type { FieldError } from "../types.ts";
import { duplicate, forbidden, invalid, invalidEach, notSupported, required } from "./field.ts";
import { isDNS1123Label, isDNS1123Subdomain } from "./names.ts";
import { parseQuantity } from "./quantity.ts";

const arr = (v: unknown): any[] => (Array.isArray(v) ? v : []);
const FILE_MODE_MSG = "must be a number between 0 and 0777 (octal), both inclusive";
const HOST_PATH_TYPES = ["", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"];

function fileMode(v: unknown, path: string): FieldError[] {
  if (v === undefined || v === null) return [];
  return typeof v === "number" && v >= 0 && v <= 0o777 ? [] : [invalid(path, v, FILE_MODE_MSG)];
}

/** validateLocalNonReservedPath: relative, no "..", not starting with "..". */
function localPath(p: string, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (p.startsWith("/")) errs.push(invalid(path, p, "must be a relative path"));
  if (p.split("/").includes("..")) errs.push(invalid(path, p, "must not contain '..'"));
  if (p.length >= 2 && p.startsWith("..")) errs.push(invalid(path, p, "must not start with '..'"));
  return errs;
}

function keyToPaths(items: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  arr(items).forEach((it, i) => {
    const ip = `${path}[${i}]`;
    if (!it?.key) errs.push(required(`${ip}.key`));
    if (!it?.path) errs.push(required(`${ip}.path`));
    else errs.push(...localPath(String(it.path), `${ip}.path`));
    errs.push(...fileMode(it?.mode, `${ip}.mode`));
  });
  return errs;
}

function validateSource(kind: string, src: any, path: string): FieldError[] {
  const errs: FieldError[] = [];
  switch (kind) {
    case "hostPath":
      if (!src?.path) errs.push(required(`${path}.path`));
      if (src?.type !== undefined && src?.type !== null && !HOST_PATH_TYPES.includes(src.type)) errs.push(notSupported(`${path}.type`, src.type, HOST_PATH_TYPES));
      break;
    case "emptyDir": {
      const size = src?.sizeLimit;
      if (size !== undefined && size !== null && !((parseQuantity(size) ?? -1) >= 0))
        errs.push(forbidden(`${path}.sizeLimit`, "SizeLimit field must be a valid resource quantity"));
      break;
    }
    case "configMap":
      if (!src?.name) errs.push(required(`${path}.name`));
      else errs.push(...invalidEach(`${path}.name`, src.name, isDNS1123Subdomain(String(src.name))));
      errs.push(...fileMode(src?.defaultMode, `${path}.defaultMode`), ...keyToPaths(src?.items, `${path}.items`));
      break;
    case "secret":
      if (!src?.secretName) errs.push(required(`${path}.secretName`));
      else errs.push(...invalidEach(`${path}.secretName`, src.secretName, isDNS1123Subdomain(String(src.secretName))));
      errs.push(...fileMode(src?.defaultMode, `${path}.defaultMode`), ...keyToPaths(src?.items, `${path}.items`));
      break;
    case "persistentVolumeClaim":
      if (!src?.claimName) errs.push(required(`${path}.claimName`));
      break;
    case "downwardAPI":
      errs.push(...fileMode(src?.defaultMode, `${path}.defaultMode`));
      arr(src?.items).forEach((it, i) => {
        const ip = `${path}.items[${i}]`;
        if (!it?.path) errs.push(required(`${ip}.path`));
        else errs.push(...localPath(String(it.path), `${ip}.path`));
        errs.push(...fileMode(it?.mode, `${ip}.mode`));
      });
      break;
    case "projected":
      errs.push(...fileMode(src?.defaultMode, `${path}.defaultMode`));
      arr(src?.sources).forEach((ps, i) => {
        const sp = `${path}.sources[${i}]`;
        if (ps?.configMap) errs.push(...keyToPaths(ps.configMap.items, `${sp}.configMap.items`));
        if (ps?.secret) errs.push(...keyToPaths(ps.secret.items, `${sp}.secret.items`));
        if (ps?.serviceAccountToken) {
          const t = ps.serviceAccountToken;
          if (!t.path) errs.push(required(`${sp}.serviceAccountToken.path`));
          if (typeof t.expirationSeconds === "number" && t.expirationSeconds < 600)
            errs.push(invalid(`${sp}.serviceAccountToken.expirationSeconds`, t.expirationSeconds, "may not specify a duration less than 10 minutes"));
        }
      });
      break;
  }
  return errs;
}

const VOLUME_SOURCES = [
  "hostPath", "emptyDir", "gcePersistentDisk", "awsElasticBlockStore", "gitRepo", "secret", "nfs", "iscsi", "glusterfs",
  "persistentVolumeClaim", "rbd", "flexVolume", "cinder", "cephfs", "flocker", "downwardAPI", "fc", "azureFile", "configMap",
  "vsphereVolume", "quobyte", "azureDisk", "photonPersistentDisk", "projected", "portworxVolume", "scaleIO", "storageos", "csi",
  "ephemeral", "image",
];

export function validateVolumes(vols: unknown, path: string): { errs: FieldError[]; names: Set<string> } {
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
    if (sources.length === 1) errs.push(...validateSource(sources[0]!, v[sources[0]!], `${vp}.${sources[0]}`));
  });
  return { errs, names };
}
