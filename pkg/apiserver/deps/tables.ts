// Tables (pkg/api/tables).
export { tableConvertorFor, toTable } from "../../api/tables/index.ts";
