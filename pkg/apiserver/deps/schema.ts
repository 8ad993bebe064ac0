// Type schemas adapter. PLACEHOLDER until pkg/api/schema/index.ts lands: no schemas known.
import type { SchemaRegistry } from "../../api/schema/types.ts";

export function schemas(): SchemaRegistry | undefined {
  return undefined;
}
