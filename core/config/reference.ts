/**
 * docs/config.md, generated from the JSON Schema (itself generated from the valibot schemas), so the
 * config reference cannot drift from what the loader accepts. `bun run bot docs` prints it.
 */

type Json = Record<string, any>;

function typeOf(s: Json): string {
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (Array.isArray(s.enum)) return s.enum.map((e: unknown) => JSON.stringify(e)).join(" | ");
  if (Array.isArray(s.anyOf)) return s.anyOf.map(typeOf).join(" | ");
  if (s.type === "array") return `array of ${s.items === undefined ? "any" : typeOf(s.items)}`;
  if (s.type === "object") return "table";
  return String(s.type ?? "any");
}

function cell(text: unknown): string {
  return String(text ?? "").replaceAll("|", "\\|").replaceAll("\n", " ");
}

function rows(s: Json, prefix: string, out: string[]): void {
  const props = (s.properties ?? {}) as Record<string, Json>;
  const required = new Set<string>(s.required ?? []);
  for (const [key, sub] of Object.entries(props)) {
    const name = `${prefix}${key}`;
    const dflt = sub.default === undefined ? (required.has(key) ? "required" : "—") : `\`${JSON.stringify(sub.default)}\``;
    out.push(`| \`${name}\` | ${cell(typeOf(sub))} | ${dflt} | ${cell(sub.description)} |`);
    if (sub.type === "object" && sub.properties !== undefined) rows(sub, `${name}.`, out);
    if (sub.type === "array" && sub.items?.type === "object" && sub.items.properties !== undefined) rows(sub.items, `${name}[].`, out);
  }
}

function section(title: string, s: Json, intro?: string): string {
  const out = [`## ${title}`, ""];
  if (intro !== undefined) out.push(intro, "");
  out.push("| key | type | default | meaning |", "| --- | --- | --- | --- |");
  rows(s, "", out);
  return out.join("\n");
}

/** Renders the config reference as markdown. */
export function renderConfigReference(schema: Json): string {
  const parts: string[] = [
    "# Config reference",
    "",
    "Generated from the schemas by `bun run bot docs` (a test fails when this file is out of date).",
    "Keys are snake_case and carry their unit; unknown keys are errors. `${VAR}` and `${VAR:-default}`",
    "are replaced from the environment. Editors complete keys from `schema/edgewatch.schema.json`",
    "through the `#:schema` line at the top of each config.",
    "",
  ];
  const props = schema.properties as Record<string, Json>;
  for (const [table, s] of Object.entries(props)) {
    const additional = s.additionalProperties as Json | undefined;
    if (additional?.anyOf !== undefined) {
      parts.push(`## [${table}.<id>]`, "", cell(s.description), "");
      for (const variant of additional.anyOf as Json[]) {
        if (variant.title === "plugin by path") continue;
        parts.push(section(`[${table}.<id>] plugin = "${variant.title}"`, variant, cell(variant.description)).replace(/^## /, "### "), "");
      }
      continue;
    }
    const body = s.type === "array" && s.items !== undefined ? s.items : s;
    parts.push(section(s.type === "array" ? `[[${table}]]` : `[${table}]`, body, s.description === undefined ? undefined : cell(s.description)), "");
  }
  return parts.join("\n").trimEnd() + "\n";
}
