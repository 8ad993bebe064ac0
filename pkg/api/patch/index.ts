// Patch types kube-apiserver accepts: JSON patch, JSON merge patch and strategic merge patch.
export { applyJsonPatch } from "./jsonpatch.ts";
export { applyMergePatch } from "./mergepatch.ts";
export { applyStrategicMergePatch } from "./strategic.ts";
