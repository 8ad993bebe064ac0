// kubectl port-forward TYPE/NAME [LOCAL:]REMOTE…: one v4.channel.k8s.io WebSocket per local
// connection (as client-node does); for port i the server uses channels 2i (data) and 2i+1
// (errors), each opening with the port as 2 little-endian bytes.
import { createServer, type Server, type Socket } from "node:net";
import { flagStr, UsageError, type ParsedArgs } from "./args.ts";
import { CmdError, type Ctx } from "./ctx.ts";
import type { Command } from "./index.ts";
import { podFor } from "./pods.ts";
import { openChannelSocket } from "./wsconn.ts";

export interface PortSpec {
  local: number;
  remote: number | string;
}

export function parsePortSpecs(specs: string[]): PortSpec[] {
  return specs.map((s) => {
    const parts = s.split(":");
    if (parts.length > 2) throw new UsageError(`invalid port format '${s}'`);
    const [l, r] = parts.length === 1 ? [parts[0]!, parts[0]!] : [parts[0] || "0", parts[1]!];
    const local = Number(l);
    if (!Number.isInteger(local) || local < 0 || local > 65535) throw new UsageError(`Error parsing local port '${l}': invalid port`);
    const remote = /^\d+$/.test(r) ? Number(r) : r;
    if (typeof remote === "number" && (remote < 1 || remote > 65535)) throw new UsageError(`Error parsing remote port '${r}': invalid port`);
    return { local, remote };
  });
}

/** A named remote port or a Service port becomes the pod's container port. */
function containerPort(pod: any, svc: any | undefined, remote: number | string): number {
  let target: number | string = remote;
  if (svc) {
    const sp = (svc.spec?.ports ?? []).find((p: any) => p.port === remote || p.name === remote);
    if (!sp) throw new CmdError(`error: Service ${svc.metadata.name} does not have a service port ${remote}`);
    target = sp.targetPort ?? sp.port;
  }
  if (typeof target === "number") return target;
  for (const c of pod.spec?.containers ?? []) for (const p of c.ports ?? []) if (p.name === target) return p.containerPort;
  throw new CmdError(`error: Pod '${pod.metadata.name}' does not have a named port '${target}'`);
}

function forward(ctx: Ctx, pod: any, remote: number, local: number, sock: Socket): void {
  ctx.out(`Handling connection for ${local}\n`);
  sock.pause();
  const path = `/api/v1/namespaces/${encodeURIComponent(pod.metadata.namespace)}/pods/${encodeURIComponent(pod.metadata.name)}/portforward?ports=${remote}`;
  openChannelSocket(ctx, path, ["v4.channel.k8s.io"]).then(
    (ws) => {
      const seen = [false, false];
      ws.on("message", (d: Buffer) => {
        if (!d.length) return;
        const ch = d[0]!;
        let body = d.subarray(1);
        if (ch > 1) return;
        // The first frame on each channel carries only the port number.
        if (!seen[ch]) {
          seen[ch] = true;
          body = body.subarray(2);
        }
        if (!body.length) return;
        if (ch === 0) sock.write(body);
        else {
          ctx.err(`E${new Date().toISOString()} portforward: "an error occurred forwarding ${local} -> ${remote}: ${body.toString("utf8")}"\n`);
          sock.destroy();
        }
      });
      ws.on("close", () => sock.end());
      ws.on("error", () => sock.destroy());
      sock.on("data", (b: Buffer) => {
        if (ws.readyState === ws.OPEN) ws.send(Buffer.concat([Buffer.from([0]), b]));
      });
      sock.on("close", () => ws.close());
      sock.on("error", () => ws.close());
      sock.resume();
    },
    (e) => {
      ctx.err(`error: ${e instanceof Error ? e.message : e}\n`);
      sock.destroy();
    },
  );
}

function listen(addr: string, port: number, onConn: (s: Socket) => void): Promise<Server> {
  return new Promise((resolve, reject) => {
    const srv = createServer(onConn);
    srv.once("error", reject);
    srv.listen(port, addr, () => resolve(srv));
  });
}

async function portForward(ctx: Ctx, args: ParsedArgs): Promise<number> {
  const [ref, ...specs] = args.positionals;
  if (!ref || !specs.length) throw new UsageError("TYPE/NAME and list of ports are required for port-forward");
  const ports = parsePortSpecs(specs);
  let svc: any;
  if (/^(svc|service|services)\//.test(ref)) svc = await ctx.conn.client.request("GET", `/api/v1/namespaces/${encodeURIComponent(ctx.namespace)}/services/${encodeURIComponent(ref.slice(ref.indexOf("/") + 1))}`);
  const pod = await podFor(ctx, ref);
  if (pod.status?.phase !== "Running") throw new CmdError(`error: unable to forward port because pod is not running. Current status=${pod.status?.phase}`);
  const addresses = (flagStr(args, "address") ?? "localhost").split(",").flatMap((a) => (a === "localhost" ? ["127.0.0.1", "::1"] : [a]));
  const servers: Server[] = [];
  for (const p of ports) {
    const remote = containerPort(pod, svc, p.remote);
    let local = p.local;
    let bound = 0;
    for (const addr of addresses) {
      try {
        const srv = await listen(addr, local, (s) => forward(ctx, pod, remote, local, s));
        local = (srv.address() as { port: number }).port;
        servers.push(srv);
        bound++;
        ctx.out(`Forwarding from ${addr.includes(":") ? `[${addr}]` : addr}:${local} -> ${remote}\n`);
      } catch (e) {
        if (addr !== "::1" || (flagStr(args, "address") ?? "localhost") !== "localhost") ctx.err(`Unable to listen on port ${local}: ${(e as Error).message}\n`);
      }
    }
    if (!bound) throw new CmdError(`error: unable to listen on any of the requested ports: [{${p.local} ${remote}}]`);
  }
  // Runs until the process is interrupted, like kubectl.
  await new Promise<never>(() => {});
  return 0;
}

export const portForwardCommand: Command = { summary: "Forward one or more local ports to a pod", flags: { bool: [] }, run: portForward };
