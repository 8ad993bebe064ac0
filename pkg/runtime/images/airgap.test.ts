import { test, expect, afterAll } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ContentStore } from "./store.ts";
import { importImageDir } from "./airgap.ts";
import { buildBusyboxImage } from "../../../test/fixtures/busybox-image.ts";

const dir = mkdtempSync(join(tmpdir(), "kubun-airgap-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("every archive in agent/images is imported; broken ones are reported", async () => {
  const images = join(dir, "agent/images");
  await buildBusyboxImage({ dir: images, format: "oci", compress: "zstd", layerCompress: "gzip", name: "example.com/one:1" });
  await buildBusyboxImage({ dir: images, format: "docker", compress: "gzip", name: "example.com/two:2" });
  writeFileSync(join(images, "notes.txt"), "not an image");
  writeFileSync(join(images, "broken.tar"), "garbage");
  const store = new ContentStore({ root: join(dir, "store") });
  const res = await importImageDir(store, images);
  expect(res.imported.map((i) => i.images[0].refs[0]).sort()).toEqual(["example.com/one:1", "example.com/two:2"]);
  expect(res.failed.map((f) => f.file)).toEqual([join(images, "broken.tar")]);
  expect(store.list()).toHaveLength(2);
});
