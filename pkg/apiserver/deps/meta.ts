// Metadata helpers (pkg/api/meta).
export { generateNameFrom, newUID, nowRFC3339, specChanged, deepEqual } from "../../api/meta/index.ts";
