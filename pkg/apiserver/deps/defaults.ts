// Defaulting adapter. PLACEHOLDER until pkg/api/defaults lands: no defaults applied.
import type { KubeObject, ResourceInfo } from "../../api/types.ts";

export function applyDefaults(_info: ResourceInfo, _obj: KubeObject): void {}
