// `kubun check-config`: host readiness report (kernel, cgroups, overlayfs, iptables, tools).
import { release } from "node:os";
import { checkHost, renderChecks } from "../pkg/server/checkconfig.ts";

export function runCheckConfig(): number {
  const checks = checkHost({
    root: "/",
    kernel: release(),
    run: (argv) => {
      try {
        const r = Bun.spawnSync(argv, { stdout: "pipe", stderr: "pipe" });
        return r.exitCode === 0 ? r.stdout.toString() + r.stderr.toString() : null;
      } catch {
        return null;
      }
    },
  });
  console.log(renderChecks(checks, process.stdout.isTTY ?? false));
  return checks.some((c) => c.status === "fail") ? 1 : 0;
}
