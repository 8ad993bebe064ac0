// Start-up repair of service allocations (upstream's ipallocator/portallocator repair loops):
// allocation keys whose service is gone or no longer holds the value are freed (a crash between
// allocating and storing the service leaves such keys), and values services hold without a key
// are recorded so they are never handed out twice.
import type { Backend } from "../storage/types.ts";
import { StorageError } from "../storage/types.ts";

const IP_PREFIX = "/registry/ranges/serviceips/";
const PORT_PREFIX = "/registry/ranges/servicenodeports/";

interface Held {
  ips: Map<string, string>;
  ports: Map<string, string>;
}

async function heldByServices(backend: Backend): Promise<Held> {
  const held: Held = { ips: new Map(), ports: new Map() };
  const r = await backend.list("/registry/core/services/");
  for (const kv of r.kvs) {
    let svc: any;
    try {
      svc = JSON.parse(kv.value);
    } catch {
      continue;
    }
    const owner = `${svc.metadata?.namespace}/${svc.metadata?.name}`;
    const ips: string[] = svc.spec?.clusterIPs ?? (svc.spec?.clusterIP ? [svc.spec.clusterIP] : []);
    for (const ip of ips) if (ip && ip !== "None") held.ips.set(ip, owner);
    for (const p of svc.spec?.ports ?? []) if (typeof p?.nodePort === "number" && p.nodePort > 0) held.ports.set(String(p.nodePort), owner);
  }
  return held;
}

async function reconcile(backend: Backend, prefix: string, want: Map<string, string>): Promise<{ freed: number; recorded: number }> {
  let freed = 0;
  let recorded = 0;
  const r = await backend.list(prefix);
  const have = new Set<string>();
  for (const kv of r.kvs) {
    const value = kv.key.slice(prefix.length);
    have.add(value);
    if (want.has(value)) continue;
    try {
      await backend.delete(kv.key, kv.modRevision);
      freed++;
    } catch (e) {
      if (!(e instanceof StorageError && (e.code === "NotFound" || e.code === "Conflict"))) throw e;
    }
  }
  for (const [value, owner] of want) {
    if (have.has(value)) continue;
    try {
      await backend.create(prefix + value, JSON.stringify({ owner }));
      recorded++;
    } catch (e) {
      if (!(e instanceof StorageError && e.code === "KeyExists")) throw e;
    }
  }
  return { freed, recorded };
}

/** Run before serving: nothing else may allocate concurrently. */
export async function repairAllocations(backend: Backend): Promise<{ freed: number; recorded: number }> {
  const held = await heldByServices(backend);
  const a = await reconcile(backend, IP_PREFIX, held.ips);
  const b = await reconcile(backend, PORT_PREFIX, held.ports);
  return { freed: a.freed + b.freed, recorded: a.recorded + b.recorded };
}
