// Validation (pkg/api/validation).
export { validateCreate, validateUpdate } from "../../api/validation/index.ts";
