// Runs the installed kubectl 1.32/1.33 against a capture server on 127.0.0.1 now (rather than the
// committed fixtures) and checks every protobuf body decodes to its `--dry-run=client -o json` form.
import { existsSync } from "node:fs";
import { expect, test } from "bun:test";
import { decodeKubeProtobuf, PROTOBUF_CONTENT_TYPE } from "./index.ts";
import { capture } from "./testdata/capture.ts";

for (const version of ["1.32", "1.33"]) {
  const bin = `/usr/lib/google-cloud-sdk/bin/kubectl.${version}`;
  test.skipIf(!existsSync(bin))(
    `live kubectl ${version}: generator bodies decode to the dry-run JSON`,
    async () => {
      const recs = (await capture(version)) as Array<{ name: string; contentType: string; body: string; expected?: unknown }>;
      const withDryRun = recs.filter((r) => r.expected !== undefined);
      expect(withDryRun.length).toBeGreaterThanOrEqual(25);
      for (const r of withDryRun) {
        expect(r.contentType).toBe(PROTOBUF_CONTENT_TYPE);
        expect({ name: r.name, obj: decodeKubeProtobuf(new Uint8Array(Buffer.from(r.body, "base64"))) }).toEqual({ name: r.name, obj: r.expected as any });
      }
    },
    60_000,
  );
}
