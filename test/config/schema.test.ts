import { describe, expect, it } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildJsonSchema } from "../../core/config/json-schema.ts";
import { builtinRegistry } from "../../plugins/builtins.ts";

const committed = join(import.meta.dir, "..", "..", "schema", "edgewatch.schema.json");

describe("JSON Schema", () => {
  it("matches the committed schema/edgewatch.schema.json (regenerate: bun run bot schema > schema/edgewatch.schema.json)", () => {
    const generated = JSON.stringify(buildJsonSchema(builtinRegistry), null, 2) + "\n";
    expect(readFileSync(committed, "utf8")).toBe(generated);
  });

  it("is draft 2020-12, strict at the top, and carries units and defaults", () => {
    const schema = buildJsonSchema(builtinRegistry) as Record<string, any>;
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(schema.additionalProperties).toBe(false);
    const health = schema.properties.health.properties;
    expect(health.heartbeat_timeout_ms.default).toBe(30000);
    expect(health.heartbeat_timeout_ms.description).toContain("ms");
    const variants = schema.properties.notifiers.additionalProperties.anyOf as Record<string, any>[];
    expect(variants.some((v) => v.title === "console")).toBe(true);
  });
});

describe("config reference", () => {
  it("matches the committed docs/config.md (regenerate: bun run bot docs > docs/config.md)", async () => {
    const { renderConfigReference } = await import("../../core/config/reference.ts");
    const docs = join(import.meta.dir, "..", "..", "docs", "config.md");
    expect(readFileSync(docs, "utf8")).toBe(renderConfigReference(buildJsonSchema(builtinRegistry)));
  });
});
