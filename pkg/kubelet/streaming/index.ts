// exec/attach/port-forward streaming protocols, server side (WebSocket v5/v4 channels, SPDY/3.1).
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
