import { expect, test } from "bun:test";
import { DescribeWriter, goTabwrite } from "./gotabwriter.ts";

test("columns align only across consecutive lines that have the cell", () => {
  const s = goTabwrite("Name:\tx\nNamespace:\tdefault\nContainers:\n  main:\n    Image:\tbusybox\n    Port:\t<none>\n");
  expect(s).toBe("Name:       x\nNamespace:  default\nContainers:\n  main:\n    Image:  busybox\n    Port:   <none>\n");
});

test("a block spans lines of different depth and empty first cells continue it", () => {
  const s = goTabwrite("Labels:\ta=b\n\tc=d\nAnnotations:\t<none>\n");
  expect(s).toBe("Labels:       a=b\n              c=d\nAnnotations:  <none>\n");
});

test("nested columns: the second column's block is narrower than the first", () => {
  const s = goTabwrite("a\tb\tc\naaaa\tbb\nx\n");
  expect(s).toBe("a     b  c\naaaa  bb\nx\n");
});

test("the writer's flush starts a new alignment block", () => {
  const w = new DescribeWriter();
  w.write(0, "Name:\tx\n");
  w.flush();
  w.write(0, "Events:\n");
  w.write(1, "Type\tReason\n");
  w.write(1, "----\t------\n");
  expect(w.toString()).toBe("Name:  x\nEvents:\n  Type  Reason\n  ----  ------\n");
});
