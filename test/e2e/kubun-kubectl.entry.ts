// Test-only entry for `kubun kubectl` until cmd/kubun.ts dispatches it: runs runKubectl with this process's streams.
import { runKubectl } from "../../pkg/kubectl/index.ts";

const env = process.env;
const code = await runKubectl(process.argv.slice(2), {
  env: { KUBECONFIG: env.KUBECONFIG, HOME: env.HOME, KUBE_EDITOR: env.KUBE_EDITOR, EDITOR: env.EDITOR },
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  isTTY: !!process.stdin.isTTY,
});
// exitCode (not exit()) so piped output is flushed first.
process.exitCode = code;
