// Patches (pkg/api/patch).
export { applyJsonPatch, applyMergePatch, applyStrategicMergePatch } from "../../api/patch/index.ts";
