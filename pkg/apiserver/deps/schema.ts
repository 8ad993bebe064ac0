// Type schemas (pkg/api/schema).
import type { SchemaRegistry } from "../../api/schema/types.ts";
import { builtinSchemas } from "../../api/schema/index.ts";

export function schemas(): SchemaRegistry | undefined {
  return builtinSchemas();
}
