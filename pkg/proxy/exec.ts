// Running iptables/conntrack/sysctl: a non-zero exit becomes an error naming the command.
// `prefix` lets tests run everything inside their own network namespace (ip netns exec).
export type Runner = (argv: string[], stdin?: string) => Promise<string>;

export function createRunner(prefix: string[] = []): Runner {
  return async (argv, stdin) => {
    const full = [...prefix, ...argv];
    const p = Bun.spawn(full, { stdin: stdin !== undefined ? new TextEncoder().encode(stdin) : "ignore", stdout: "pipe", stderr: "pipe" });
    const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
    if (code !== 0) throw new Error(`${argv.join(" ")}: exit ${code}: ${err.trim()}`);
    return out;
  };
}
