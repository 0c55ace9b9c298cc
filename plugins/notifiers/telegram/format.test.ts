import { describe, expect, it } from "bun:test";
import { makeDigest } from "../../../core/alerts/digest.ts";
import { checkTelegramHtml } from "../../../test/fakes/telegram/html.ts";
import { numbered, opportunityAlert } from "../../../test/alerts/kit.ts";
import { escapeHtml, formatAlert, splitMessage } from "./format.ts";

/** Visible text of Bot API HTML: tags dropped, entities decoded. */
function visible(html: string): string {
  return html
    .replace(/<[^>]+>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&");
}

const hostile = `<script>alert("x")</script> & </b><b> &amp; &lt; <a href="javascript:1">x</a> "quotes" 5 > 3 🎯👩‍👩‍👧`;

describe("telegram format", () => {
  it("escapes hostile text so the service accepts it and shows it verbatim", () => {
    const a = opportunityAlert({ title: hostile, text: hostile, url: 'https://x.test/?a=1&b="2"' });
    const html = formatAlert(a);
    expect(checkTelegramHtml(html)).toMatchObject({ ok: true });
    expect(visible(html)).toContain(hostile);
    expect(escapeHtml('<&>"')).toBe("&lt;&amp;&gt;&quot;");
  });

  it("shows what, where, edge, size, data age and the market link of an opportunity", () => {
    const html = formatAlert(opportunityAlert());
    expect(html).toContain("<b>BTC perp spread 12.3 bps</b>");
    expect(html).toContain("edge <b>12.3 bps</b> · size $9,631.60 · profit $4.30");
    expect(html).toContain("• buy 0.15 BTC-USDT-SWAP on venue_a @ 64210.5");
    expect(html).toContain("• sell 0.15 BTC on venue_b @ 64300");
    expect(html).toContain("data 350 ms old · 12:00:01 UTC");
    expect(html).toContain('<a href="https://example.com/markets/BTC?x=1&amp;y=2">open market</a>');
  });

  it("formats health, lifecycle and digest alerts as valid HTML", () => {
    const health = formatAlert(numbered(1, { kind: "health", severity: "critical", feed: "venue_a", title: "feed venue_a stale", text: "no message for 31 s" }));
    expect(health).toContain("📍 venue_a");
    const life = formatAlert(numbered(2, { kind: "lifecycle", title: "bot started <demo>" }));
    expect(life).toContain("bot started &lt;demo&gt;");
    const digest = formatAlert(makeDigest("d1", [numbered(3, { url: "https://x.test/1" }), numbered(4, { severity: "critical" })], 0));
    expect(digest).toContain("<b>2 alerts</b>");
    expect(digest).toContain("[critical] A4#");
    for (const html of [health, life, digest]) expect(checkTelegramHtml(html)).toMatchObject({ ok: true });
  });

  it("splits long messages on line boundaries, every part valid and within 4096", () => {
    const lines = Array.from({ length: 400 }, (_, i) => `${i} ${"&<>".repeat(5)} ${"x".repeat(i % 50)}`);
    const alert = numbered(5, { text: lines.join("\n") });
    const html = formatAlert(alert);
    const parts = splitMessage(html);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(4096);
      expect(checkTelegramHtml(p)).toMatchObject({ ok: true });
      expect(p.startsWith("\n") || p.endsWith("\n")).toBe(false);
    }
    expect(parts.join("\n")).toBe(html);
  });

  it("cuts a single hostile line longer than 4096 without breaking tags, entities or emoji", () => {
    const line = `<b>${escapeHtml(`${"🎯&<".repeat(3000)}`)}</b> <a href="https://x.test/">${"y".repeat(5000)}</a>`;
    const parts = splitMessage(`head\n${line}\ntail`);
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(4096);
      expect(checkTelegramHtml(p)).toMatchObject({ ok: true });
      expect(/[\ud800-\udbff]$/.test(p.replace(/<[^>]+>$/g, ""))).toBe(false);
    }
    expect(parts.map(visible).join("").replace(/\n/g, "")).toBe(visible(`head${line}tail`));
  });

  it("marks an alert sent long after it was raised (the service was down) as late", () => {
    const a = opportunityAlert();
    expect(formatAlert(a, a.ts + 5_000)).not.toContain("late");
    expect(formatAlert(a, a.ts + 300_000)).toContain("<i>data 350 ms old · 12:00:01 UTC · ⏳ sent 5 min late</i>");
  });
});
