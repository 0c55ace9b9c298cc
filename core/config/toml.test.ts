import { describe, expect, it } from "bun:test";
import { ConfigError } from "../errors.ts";
import { parseTomlSource } from "./toml.ts";

describe("parseTomlSource", () => {
  it("does return the parsed value of valid TOML", () => {
    expect(parseTomlSource('[a]\nb_ms = 5\nc = "x"\n', "x.toml")).toEqual({ a: { b_ms: 5, c: "x" } });
  });

  it("does throw a ConfigError positioned at the syntax error", () => {
    let caught: unknown;
    try {
      parseTomlSource("[a]\nb = 1\nc = = 2\n", "bad.toml");
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const problem = (caught as ConfigError).problems[0]!;
    expect(problem.file).toBe("bad.toml");
    expect(problem.line).toBe(3);
    expect(problem.path).toBe("");
    expect(problem.message).toStartWith("expected valid TOML, found a syntax error: ");
    expect(problem.message).not.toContain("Invalid TOML document");
  });
});
