#!/usr/bin/env bun
// The one entry point: `kubun <command>`; a symlink named kubectl acts as `kubun kubectl`.
// @peculiar/x509 needs the Reflect metadata polyfill loaded before it; in the compiled
// bundle only the entry point's first import is guaranteed to run first.
import "reflect-metadata";
import { basename } from "node:path";
import { kubunVersion, buildCommit } from "../pkg/util/version.ts";
import { UsageError } from "./flags.ts";

const COMMANDS: Array<[string, string]> = [
  ["server", "Run management server"],
  ["kubectl", "Run kubectl against this cluster (also when invoked as kubectl)"],
  ["images", "Import, list, remove and pull node images"],
  ["token", "Manage bearer tokens"],
  ["datastore", "Datastore snapshots (save, ls, restore, prune)"],
  ["certificate", "Check and rotate certificates"],
  ["check-config", "Run config check"],
  ["killall", "Stop all pods and remove kubun's mounts, network and rules"],
  ["completion", "Install shell completion script"],
];

function rootHelp(): string {
  return [
    "NAME:",
    "   kubun - Kubernetes, in one small binary",
    "",
    "USAGE:",
    "   kubun [global options] command [command options] [arguments...]",
    "",
    "VERSION:",
    `   ${kubunVersion}`,
    "",
    "COMMANDS:",
    ...COMMANDS.map(([n, d]) => `   ${n.padEnd(16)} ${d}`),
    `   ${"help, h".padEnd(16)} Shows a list of commands or help for one command`,
    "",
    "GLOBAL OPTIONS:",
    "   --help, -h     show help",
    "   --version, -v  print the version",
    "",
  ].join("\n");
}

/** Completion of commands and `server` flags for bash and zsh. */
function completionScript(shell: string): string {
  const cmds = COMMANDS.map(([n]) => n).join(" ");
  const body = `_kubun() {
  local cur="\${COMP_WORDS[COMP_CWORD]}"
  if [ "$COMP_CWORD" -eq 1 ]; then COMPREPLY=( $(compgen -W "${cmds} --help --version" -- "$cur") ); return; fi
  case "\${COMP_WORDS[1]}" in
    server) COMPREPLY=( $(compgen -W "$(kubun server --help 2>/dev/null | grep -oE -- '--[a-z-]+' | sort -u)" -- "$cur") ) ;;
    datastore) COMPREPLY=( $(compgen -W "snapshot save ls restore prune" -- "$cur") ) ;;
    token) COMPREPLY=( $(compgen -W "create list delete" -- "$cur") ) ;;
    certificate) COMPREPLY=( $(compgen -W "check rotate" -- "$cur") ) ;;
  esac
}`;
  if (shell === "zsh") return `autoload -U +X bashcompinit && bashcompinit\n${body}\ncomplete -F _kubun kubun`;
  if (shell !== "bash") throw new UsageError(`unsupported shell "${shell}" (bash or zsh)`);
  return `${body}\ncomplete -F _kubun kubun`;
}

export async function main(argv: string[], env: Record<string, string | undefined>, argv0 = ""): Promise<number> {
  // A compiled binary sees the symlink name only in argv0; a script in argv[1].
  const invokedAs = [basename(argv0), basename(argv[1] ?? "")];
  let args = argv.slice(2);
  if (invokedAs.includes("kubectl") || invokedAs.includes("kubectl.ts")) args = ["kubectl", ...args];
  const [cmd, ...rest] = args;
  switch (cmd) {
    case undefined:
    case "help":
    case "h":
    case "--help":
    case "-h":
      if (rest[0] === "server") {
        const { serverHelp } = await import("./server.ts");
        console.log(serverHelp());
      } else console.log(rootHelp());
      return 0;
    case "--version":
    case "-v":
    case "version":
      console.log(`kubun version ${kubunVersion} (${buildCommit})\nbun version ${Bun.version}`);
      return 0;
    case "server": {
      const { runServerCommand } = await import("./server-command.ts");
      return runServerCommand(rest, env);
    }
    case "kubectl": {
      const { runKubectl } = await import("../pkg/kubectl/index.ts");
      return runKubectl(rest, {
        env: { KUBECONFIG: env.KUBECONFIG, HOME: env.HOME, KUBE_EDITOR: env.KUBE_EDITOR, EDITOR: env.EDITOR },
        stdin: process.stdin,
        stdout: process.stdout,
        stderr: process.stderr,
        isTTY: Boolean(process.stdin.isTTY && process.stdout.isTTY),
      });
    }
    case "images":
      return (await import("./images.ts")).runImagesCommand(rest, env);
    case "token":
      return (await import("./token.ts")).runTokenCommand(rest, env);
    case "datastore":
      return (await import("./datastore.ts")).runDatastoreCommand(rest, env);
    case "certificate":
      return (await import("./certificate.ts")).runCertificateCommand(rest, env);
    case "check-config":
      return (await import("./check-config.ts")).runCheckConfig();
    case "killall":
      return (await import("./killall.ts")).runKillallCommand(rest, env);
    case "completion":
      console.log(completionScript(rest[0] ?? "bash"));
      return 0;
    default:
      console.error(`kubun: unknown command "${cmd}"\n`);
      console.error(rootHelp());
      return 2;
  }
}

/** Exit once buffered output has reached the pipe (piped `kubun kubectl get` output must not be cut). */
async function exitAfterFlush(code: number): Promise<never> {
  await Promise.all([process.stdout, process.stderr].map((s) => new Promise<void>((ok) => (s.write("") ? ok() : s.once("drain", () => ok())))));
  process.exit(code);
}

if (import.meta.main) {
  main(process.argv, process.env, process.argv0)
    .then((code) => {
      if (code !== -1) return exitAfterFlush(code);
    })
    .catch((e) => {
      if (e instanceof UsageError) {
        console.error(`Incorrect Usage: ${e.message}`);
        process.exit(2);
      }
      console.error(`kubun: ${e instanceof Error ? e.message : e}`);
      process.exit(1);
    });
}
