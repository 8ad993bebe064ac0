// Child process of crash.test.ts: writes forever and prints "ack <key> <revision> <value>" for
// every write the store acknowledged. The test SIGKILLs it at random points.
import { openSqliteBackend } from "./backend.ts";

const [path, tag] = process.argv.slice(2);
// Aggressive background compaction so kills also land inside compaction, vacuum and checkpoints.
const b = openSqliteBackend({ path, compactWindow: 200, compactIntervalMs: 20 });
const out = (line: string) => process.stdout.write(line + "\n");
out(`ready ${b.currentRevision()}`);

async function writer(w: number) {
  const counter = `/crash/counter/${w}`;
  let cur = (await b.get(counter)).kv ?? (await b.create(counter, "0"));
  for (let n = 0; ; n++) {
    const key = `/crash/${tag}/${w}/${n}`;
    const value = `${tag}-${w}-${n}-${"v".repeat(n % 300)}`;
    const [created, updated] = await Promise.all([
      b.create(key, value),
      b.update(counter, String(n), cur.modRevision),
    ]);
    cur = updated;
    out(`ack ${key} ${created.modRevision} ${value}`);
    out(`ack ${counter} ${updated.modRevision} ${updated.value}`);
  }
}

await Promise.all(Array.from({ length: 8 }, (_, w) => writer(w)));
