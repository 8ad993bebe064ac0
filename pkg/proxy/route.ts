// A node without a default route (an airgapped edge box) has no route to the service CIDR:
// packets to a Service without endpoints would then die in routing (a silent hang) instead
// of reaching the REJECT rule. A route of last resort over lo fixes that; DNATed traffic is
// re-routed after DNAT and never uses it.
import type { Runner } from "./exec.ts";

/** Adds `<serviceCIDR> dev lo` when the node has no default route; true if it added it. */
export async function ensureServiceRoute(run: Runner, serviceCIDR: string): Promise<boolean> {
  const def = await run(["ip", "-4", "route", "show", "default"]);
  if (def.trim() !== "") return false;
  const existing = await run(["ip", "-4", "route", "show", serviceCIDR]);
  if (existing.trim() !== "") return false;
  await run(["ip", "-4", "route", "add", serviceCIDR, "dev", "lo"]);
  return true;
}
