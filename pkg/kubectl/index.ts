// `kubun kubectl …`: the built-in client. Parses the global flags, connects and dispatches
// to one file per verb; returns the exit code instead of exiting.
import { existsSync } from "node:fs";
import { StatusError } from "../api/errors.ts";
import { UsageError, parseArgs, type FlagSpec, type ParsedArgs } from "./args.ts";
import { connect, resolveKubeconfigPath } from "./conn.ts";
import { CmdError, makeCtx, type Ctx, type KubectlIO } from "./ctx.ts";
import { formatError } from "./errors.ts";
import { COMMANDS } from "./commands.ts";
import { runConfig } from "./cmd-config.ts";

export type { KubectlIO } from "./ctx.ts";

const GLOBAL_VALUE = ["kubeconfig", "context", "namespace", "request-timeout", "v", "cluster", "user"];
const GLOBAL_SHORT: Record<string, string> = { n: "namespace", v: "v" };

/** The verb: the first word that is not a global flag or its value. */
function splitVerb(argv: string[]): { verb?: string; rest: string[] } {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--") break;
    if (a.startsWith("--")) {
      if (!a.includes("=") && GLOBAL_VALUE.includes(a.slice(2))) i++;
      continue;
    }
    if (a.startsWith("-") && a.length > 1) {
      if (a.length === 2 && GLOBAL_SHORT[a[1]!]) i++;
      continue;
    }
    return { verb: a, rest: [...argv.slice(0, i), ...argv.slice(i + 1)] };
  }
  return { rest: argv };
}

export interface Command {
  summary: string;
  flags: FlagSpec;
  /** Verbs like `version` may run without a reachable cluster config. */
  run(ctx: Ctx, args: ParsedArgs): Promise<number>;
}

function usage(): string {
  const lines = ["kubectl controls the Kubernetes cluster manager (built into kubun).", "", "Available Commands:"];
  for (const [name, c] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(14)} ${c.summary}`);
  lines.push("", "Usage:", "  kubectl [flags] [options]", "");
  return lines.join("\n");
}

export async function runKubectl(argv: string[], io: KubectlIO): Promise<number> {
  const { verb, rest } = splitVerb(argv);
  if (!verb || verb === "help" || verb === "--help" || verb === "-h") {
    io.stdout.write(usage());
    return 0;
  }
  const cmd = Object.hasOwn(COMMANDS, verb) ? COMMANDS[verb] : undefined;
  if (!cmd) {
    io.stderr.write(`error: unknown command "${verb}" for "kubectl"\n`);
    return 1;
  }
  let server = "";
  if (rest.includes("--help") || rest.includes("-h")) {
    io.stdout.write(`${cmd.summary}.\n\nUsage:\n  kubectl ${verb} [options]\n`);
    return 0;
  }
  try {
    const spec: FlagSpec = {
      bool: [...cmd.flags.bool],
      short: { ...GLOBAL_SHORT, ...cmd.flags.short },
      multi: cmd.flags.multi,
    };
    const args = parseArgs(rest, spec);
    const path = resolveKubeconfigPath(args.flags.get("kubeconfig"), io.env);
    // `config` edits the file and never connects; its namespace flag is its own.
    if (verb === "config") return runConfig(path, io, args);
    if (!existsSync(path)) {
      // kubectl's wording for a missing explicit file; with no config at all it tries localhost:8080.
      io.stderr.write(args.flags.get("kubeconfig") || io.env.KUBECONFIG ? `error: stat ${path}: no such file or directory\n` : "The connection to the server localhost:8080 was refused - did you specify the right host or port?\n");
      return 1;
    }
    const conn = connect(path, args.flags.get("context"));
    server = conn.server;
    const ctx = makeCtx(io, conn, path, args.flags.get("namespace"));
    return await cmd.run(ctx, args);
  } catch (e) {
    if (e instanceof CmdError) {
      if (e.message) io.stderr.write(e.message.endsWith("\n") ? e.message : e.message + "\n");
      return e.code;
    }
    if (e instanceof UsageError) {
      io.stderr.write(`error: ${e.message}\n`);
      return 1;
    }
    // Transport failures (the client reports them as 503s naming the request) read like kubectl's.
    if (e instanceof StatusError && e.code === 503 && /ECONNREFUSED|Unable to connect/.test(e.message)) {
      io.stderr.write(`The connection to the server ${server.replace(/^https?:\/\//, "")} was refused - did you specify the right host or port?\n`);
      return 1;
    }
    io.stderr.write(formatError(e) + "\n");
    return 1;
  }
}
