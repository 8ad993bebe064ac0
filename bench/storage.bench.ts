// `bun run bench storage`: kubun's SQLite store (in process, as the API server uses it) side by
// side with Debian's etcd (started here on 127.0.0.1, driven through the etcd3 gRPC client).
import { Etcd3 } from "etcd3";
import { join } from "node:path";
import { openSqliteBackend } from "../pkg/storage/index.ts";
import { percentile, type BenchContext, type Benchmark } from "./lib.ts";

interface Subject {
  name: "kubun" | "etcd";
  put(key: string, value: string): Promise<void>;
  get(key: string): Promise<unknown>;
  /** Lists a prefix and returns how many keys came back. */
  list(prefix: string): Promise<number>;
  /** n watchers on key; resolves with a function that waits until all of them saw one event. */
  watchers(n: number, key: string): Promise<{ allReceived: Promise<void>; close(): Promise<void> }>;
  close(): Promise<void>;
}

const VALUE = "v".repeat(1024);

function kubunSubject(ctx: BenchContext): Subject {
  const b = openSqliteBackend({ path: join(ctx.tmpdir("kubun-bench-store-"), "state.db"), compactIntervalMs: 0 });
  return {
    name: "kubun",
    async put(key, value) {
      const cur = (await b.get(key)).kv;
      if (cur) await b.update(key, value, cur.modRevision);
      else await b.create(key, value);
    },
    get: (key) => b.get(key),
    list: async (prefix) => (await b.list(prefix)).kvs.length,
    async watchers(n, key) {
      const ws = Array.from({ length: n }, () => b.watch(key));
      const allReceived = Promise.all(ws.map((w) => w.next())).then(() => {});
      return { allReceived, close: async () => ws.forEach((w) => w.close()) };
    },
    close: () => b.close(),
  };
}

async function freePort(): Promise<number> {
  const s = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = s.port;
  s.stop(true);
  return port;
}

async function etcdSubject(ctx: BenchContext): Promise<Subject> {
  const dir = ctx.tmpdir("kubun-bench-etcd-");
  const [client, peer] = [await freePort(), await freePort()];
  const url = `http://127.0.0.1:${client}`;
  const peerUrl = `http://127.0.0.1:${peer}`;
  const proc = Bun.spawn(
    [
      "/usr/bin/etcd", "--name", "bench", "--data-dir", join(dir, "data"),
      "--listen-client-urls", url, "--advertise-client-urls", url,
      "--listen-peer-urls", peerUrl, "--initial-advertise-peer-urls", peerUrl,
      "--initial-cluster", `bench=${peerUrl}`, "--log-level", "error",
    ],
    { stdout: "ignore", stderr: "pipe" },
  );
  ctx.defer(async () => {
    proc.kill("SIGKILL");
    await proc.exited;
  });
  // Lift the client's 4 MiB receive limit so one 10,000-key range fits in a response.
  const etcd = new Etcd3({ hosts: url, grpcOptions: { "grpc.max_receive_message_length": -1 } });
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      await etcd.put("/ready").value("1");
      break;
    } catch (e) {
      if (Date.now() > deadline || proc.exitCode !== null) throw new Error(`etcd did not start: ${e}`);
      await Bun.sleep(100);
    }
  }
  return {
    name: "etcd",
    put: async (key, value) => void (await etcd.put(key).value(value)),
    get: (key) => etcd.get(key).string(),
    list: async (prefix) => Object.keys(await etcd.getAll().prefix(prefix).strings()).length,
    async watchers(n, key) {
      const ws = await Promise.all(Array.from({ length: n }, () => etcd.watch().key(key).create()));
      const allReceived = Promise.all(ws.map((w) => new Promise<void>((r) => w.once("put", () => r())))).then(() => {});
      return { allReceived, close: async () => void (await Promise.all(ws.map((w) => w.cancel()))) };
    },
    async close() {
      etcd.close();
    },
  };
}

async function measure(ctx: BenchContext, s: Subject, run: number) {
  const tag = `/bench/${run}`;
  // Sequential 1 KiB puts (each acknowledged durably before the next).
  const seqN = 500;
  let t = performance.now();
  for (let i = 0; i < seqN; i++) await s.put(`${tag}/seq/${i}`, VALUE);
  ctx.record("put 1KiB, 1 writer", s.name, "ops/s", seqN / ((performance.now() - t) / 1000), "higher");

  // 64 concurrent writers.
  const perWriter = 100;
  t = performance.now();
  await Promise.all(
    Array.from({ length: 64 }, async (_, w) => {
      for (let i = 0; i < perWriter; i++) await s.put(`${tag}/conc/${w}/${i}`, VALUE);
    }),
  );
  ctx.record("put 1KiB, 64 writers", s.name, "ops/s", (64 * perWriter) / ((performance.now() - t) / 1000), "higher");

  // Gets of existing keys.
  const lat: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const k = `${tag}/conc/${i % 64}/${(i * 7) % perWriter}`;
    const g = performance.now();
    await s.get(k);
    lat.push(performance.now() - g);
  }
  ctx.record("get p50", s.name, "ms", percentile(lat, 50));
  ctx.record("get p99", s.name, "ms", percentile(lat, 99));

  // List of 10,000 keys (1 KiB values).
  const listPrefix = `${tag}/list/`;
  for (let i = 0; i < 10_000; i += 100) {
    await Promise.all(Array.from({ length: 100 }, (_, j) => s.put(`${listPrefix}${String(i + j).padStart(5, "0")}`, VALUE)));
  }
  t = performance.now();
  const n = await s.list(listPrefix);
  const listMs = performance.now() - t;
  if (n !== 10_000) throw new Error(`${s.name} listed ${n} keys, expected 10000`);
  ctx.record("list 10,000 keys", s.name, "ms", listMs);

  // One event delivered to 1,000 watchers.
  const key = `${tag}/watched`;
  const w = await s.watchers(1000, key);
  t = performance.now();
  await s.put(key, VALUE);
  await w.allReceived;
  ctx.record("event to 1,000 watchers", s.name, "ms", performance.now() - t);
  await w.close();
}

const bench: Benchmark = {
  name: "storage",
  description: "kubun SQLite store vs etcd 3.4: puts/s, get latency, list 10k, watch fan-out",
  async run(ctx) {
    const subjects = [kubunSubject(ctx), await etcdSubject(ctx)];
    try {
      for (let run = 0; run < ctx.runs; run++) {
        for (const s of subjects) await measure(ctx, s, run);
      }
    } finally {
      for (const s of subjects) await s.close();
    }
  },
};

export default bench;
