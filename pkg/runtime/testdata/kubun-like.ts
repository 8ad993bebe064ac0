// A stand-in for a kubun process: starts one container, reports its pid, then idles until killed.
import { LinuxRuntime } from "../runtime.ts";

const [stateDir, cgroupRoot, layer, logPath, id] = process.argv.slice(2);
const rt = new LinuxRuntime({ stateDir, cgroupRoot, pollIntervalMs: 20 });
const st = await rt.start({
  id, podId: "pod-restart", layers: [layer], env: ["PATH=/bin:/usr/bin"], cgroupParent: "kubepods/burstable/podrestart", logPath,
  argv: ["/bin/sh", "-c", "i=0; while true; do echo line$i; i=$((i+1)); sleep 0.02; done"],
});
console.log(JSON.stringify({ pid: st.pid }));
setInterval(() => {}, 1000);
