// `kubun server` process lifecycle: config, logging, start, signals.
import { sdNotify } from "../ffi/sdnotify.ts";
import { configureLogging, createLogger } from "../pkg/util/log.ts";
import { loadServerConfig, serverHelp } from "./server.ts";

/** Returns -1 while the server keeps running (the process exits on a signal). */
export async function runServerCommand(argv: string[], env: Record<string, string | undefined>): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(serverHelp());
    return 0;
  }
  const cfg = await loadServerConfig(argv, env);
  configureLogging({ verbosity: cfg.verbosity, format: cfg.logFormat });
  const log = createLogger("kubun");
  const { runServer } = await import("../pkg/server/server.ts");
  const srv = await runServer(cfg, log);
  // Type=notify units become active only now, once the node is Ready.
  if (cfg.notifySocket) sdNotify(cfg.notifySocket, `READY=1\nSTATUS=kubun is ready\nMAINPID=${process.pid}`);
  if (process.stdout.isTTY) {
    console.log(`\nNode is starting. Kubeconfig written to ${cfg.writeKubeconfig}\nTry: kubun kubectl get nodes   (or KUBECONFIG=${cfg.writeKubeconfig} kubectl get nodes)\n`);
  }
  let stopping = false;
  const stop = async (sig: string) => {
    if (stopping) return;
    stopping = true;
    if (cfg.notifySocket) sdNotify(cfg.notifySocket, "STOPPING=1");
    log.info("shutting down", { signal: sig });
    const force = setTimeout(() => process.exit(1), 10_000);
    await srv.close();
    clearTimeout(force);
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
  return -1;
}
