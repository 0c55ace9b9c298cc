import { describe, expect, it } from "bun:test";
import { makeDigest } from "../../../core/alerts/digest.ts";
import { validateDiscordMessage } from "../../../test/fakes/discord/server.ts";
import { numbered, opportunityAlert } from "../../../test/alerts/kit.ts";
import { chunkText, escapeMarkdown, formatPayloads } from "./format.ts";
import type { DiscordPayload } from "./limits.ts";

function descriptions(payloads: DiscordPayload[]): string {
  return payloads.flatMap((p) => p.embeds ?? []).map((e) => e.description ?? "").join("\n");
}

function expectValid(payloads: DiscordPayload[]): void {
  for (const p of payloads) expect(validateDiscordMessage(p as unknown as Record<string, unknown>)).toEqual([]);
}

describe("discord format", () => {
  it("shows an opportunity as one embed: severity colour, figures as fields, timestamp, link, no mentions", () => {
    const [p, ...rest] = formatPayloads(opportunityAlert({ text: "ping @everyone" }));
    expect(rest).toEqual([]);
    expect(p!.allowed_mentions).toEqual({ parse: [] });
    expect(p!.content).toBe("🟠 BTC perp spread 12.3 bps");
    const e = p!.embeds![0]!;
    expect(e).toMatchObject({ title: "BTC perp spread 12.3 bps", color: 0xf39c12, timestamp: "2026-01-01T12:00:01.000Z", url: "https://example.com/markets/BTC?x=1&y=2" });
    expect(e.fields!.map((f) => [f.name, f.value])).toEqual([
      ["Edge", "12.3 bps"],
      ["Size", "$9,631.60"],
      ["Profit", "$4.30"],
      ["Legs", "buy 0.15 BTC-USDT-SWAP on venue\\_a @ 64210.5\nsell 0.15 BTC on venue\\_b @ 64300"],
      ["Data age", "350 ms"],
    ]);
    expectValid([p!]);
  });

  it("keeps every character of a very long text within 4096 per embed, 10 embeds and 6000 per message", () => {
    const text = Array.from({ length: 2_000 }, (_, i) => `line ${i} ${"é🎯".repeat(i % 40)}`).join("\n");
    const payloads = formatPayloads(numbered(1, { kind: "health", severity: "critical", text, title: "T".repeat(300) }));
    expect(payloads.length).toBeGreaterThan(1);
    expectValid(payloads);
    const all = descriptions(payloads);
    expect(all).toContain("T".repeat(300));
    for (let i = 0; i < 2_000; i += 97) expect(all).toContain(`line ${i} ${"é🎯".repeat(i % 40)}`);
    expect(payloads[0]!.embeds![0]!.title!.length).toBeLessThanOrEqual(256);
    expect(payloads[0]!.content!.length).toBeLessThanOrEqual(2000);
  });

  it("lists every alert of a digest", () => {
    const items = Array.from({ length: 150 }, (_, i) => numbered(i + 1, { title: `A${i + 1}# ${"w".repeat(60)}` }));
    const payloads = formatPayloads(makeDigest("d", items, 0));
    expectValid(payloads);
    const all = descriptions(payloads);
    for (let i = 1; i <= 150; i++) expect(all).toContain(`A${i}# `);
  });

  it("chunks text on line boundaries and cuts only lines longer than the limit", () => {
    expect(chunkText("aa\nbb\ncc", 5)).toEqual(["aa\nbb", "cc"]);
    expect(chunkText("abcdefgh", 3)).toEqual(["abc", "def", "gh"]);
  });

  it("shows markdown in alert text as written", () => {
    expect(escapeMarkdown("**bold** _x_ `c` ||s|| [l](u) ~~t~~ \\")).toBe("\\*\\*bold\\*\\* \\_x\\_ \\`c\\` \\|\\|s\\|\\| \\[l\\](u) \\~\\~t\\~\\~ \\\\");
    expect(escapeMarkdown("# head\n> quote\n- item\na-b")).toBe("\\# head\n\\> quote\n\\- item\na-b");
    const [p] = formatPayloads(numbered(1, { title: "Will *BTC* hit 100k_?", text: "**now**" }));
    expect(p!.content).toBe("🟠 Will \\*BTC\\* hit 100k\\_?");
    expect(p!.embeds![0]!.description).toBe("\\*\\*now\\*\\*");
  });
});
