// Defaulting (pkg/api/defaults).
export { applyDefaults } from "../../api/defaults/index.ts";
