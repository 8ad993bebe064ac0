import { expect, test } from "bun:test";
import { finish, outputStream } from "./output.ts";

test("writes are sent in order, final runs once, writes after the end are dropped quietly", async () => {
  const sent: string[] = [];
  let finals = 0;
  const w = outputStream(
    async (b) => void sent.push(b.toString()),
    async () => void finals++,
  );
  w.write("a");
  w.write(Buffer.from("b"));
  w.write(""); // empty chunks are not messages
  await finish(w);
  expect(sent).toEqual(["a", "b"]);
  expect(finals).toBe(1);
  const late = await new Promise<Error | null | undefined>((resolve) => w.write("late", (err) => resolve(err)));
  expect(late).toBeInstanceOf(Error);
  await finish(w);
  expect(sent).toEqual(["a", "b"]);
  expect(finals).toBe(1);
});
