/** Child processes for benchmarks: a server that prints one JSON line when ready, and one-shot trials. */
import type { Subprocess } from "bun";

/** A started server process and the JSON it printed when ready. */
export interface Server<T> {
  readonly proc: Subprocess<"ignore", "pipe", "inherit">;
  readonly ready: T;
  stop(): void;
}

/** Starts `bun <args>` and waits for its first stdout line (JSON). */
export async function startServer<T>(args: readonly string[], timeoutMs = 120_000): Promise<Server<T>> {
  const proc = Bun.spawn(["bun", ...args], { stdin: "ignore", stdout: "pipe", stderr: "inherit" });
  const reader = proc.stdout.getReader();
  const dec = new TextDecoder();
  let text = "";
  const deadline = Date.now() + timeoutMs;
  while (!text.includes("\n")) {
    if (Date.now() > deadline) throw new Error(`server ${args.join(" ")} not ready in ${timeoutMs} ms`);
    const { value, done } = await reader.read();
    if (done) throw new Error(`server ${args.join(" ")} exited before it was ready`);
    text += dec.decode(value);
  }
  reader.releaseLock();
  const ready = JSON.parse(text.slice(0, text.indexOf("\n"))) as T;
  return { proc, ready, stop: () => proc.kill() };
}

/** Runs `bun <args>` to the end and parses the last stdout line as JSON. */
export async function runTrial<T>(args: readonly string[], timeoutMs = 180_000): Promise<T> {
  const proc = Bun.spawn(["bun", ...args], { stdin: "ignore", stdout: "pipe", stderr: "pipe", timeout: timeoutMs });
  const [out, err] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
  const code = await proc.exited;
  const lines = out.trim().split("\n");
  if (code !== 0) throw new Error(`${args.join(" ")} exited ${code}:\n${err.slice(-2000)}`);
  return JSON.parse(lines[lines.length - 1]!) as T;
}
