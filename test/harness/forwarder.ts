// Runs inside a test's network namespace: relays a unix socket to a TCP port on that
// namespace's loopback, so the test process can reach the node without sharing its network.
import { createConnection, createServer } from "node:net";
import { rmSync } from "node:fs";

const [sock, port] = [process.argv[2], Number(process.argv[3])];
rmSync(sock, { force: true });
const srv = createServer((c) => {
  const up = createConnection({ host: "127.0.0.1", port });
  c.pipe(up).pipe(c);
  up.on("error", () => c.destroy());
  c.on("error", () => up.destroy());
});
srv.listen(sock, () => process.stdout.write("ready\n"));
process.on("SIGTERM", () => process.exit(0));
