// exec/attach/port-forward streaming protocols, server side: WebSocket v5/v4/base64/channel
// channels, SPDY/3.1 (kubectl ≤ 1.29 exec, every kubectl's port-forward) and SPDY tunnelled in
// WebSocket (kubectl 1.31+ port-forward). Runtime-agnostic: the kubelet supplies the process.
//
// Usage from an upgrade handler (req, socket, head already authenticated):
//
//   const q = parseRemoteCommandQuery(url);
//   const s = await acceptRemoteCommand(req, socket, head, q);   // rejects after answering 400
//   s.stdin?.pipe(proc.stdin);                                    // Node Readable; ends at client EOF
//   proc.stdout.pipe(s.stdout!, { end: false });                  // Node Writables
//   for await (const { width, height } of s.resize) …             // tty only
//   s.closed.then(() => kill the process if it still runs);       // client went away
//   await s.close({ exitCode }) or s.close({ error: "…" });       // after the output ended: flushes, reports, hangs up
//
//   await acceptPortForward(req, socket, head, { ports: parsePortsQuery(url), dial });
export { acceptRemoteCommand } from "./remotecommand.ts";
export { acceptPortForward } from "./portforward.ts";
export { parsePortsQuery, parseRemoteCommandQuery } from "./query.ts";
export type {
  PortForwardOptions,
  RemoteCommandOptions,
  RemoteCommandProtocol,
  RemoteCommandQuery,
  RemoteCommandResult,
  RemoteCommandSession,
  TerminalSize,
} from "./types.ts";
