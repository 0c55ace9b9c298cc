/**
 * What the Bot API accepts in `parse_mode: "HTML"`: only its tag set, every `<`, `>` and `&` outside a
 * tag escaped as an entity, tags properly nested. Length is counted on the visible text (UTF-16 units).
 */
const allowed = new Set(["b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre", "tg-spoiler", "span", "blockquote"]);

export type HtmlCheck = { ok: true; textLength: number } | { ok: false; error: string };

/** Validates Bot API HTML the way the service does (strictly). */
export function checkTelegramHtml(html: string): HtmlCheck {
  const stack: string[] = [];
  let visible = 0;
  let i = 0;
  while (i < html.length) {
    const c = html[i]!;
    if (c === "<") {
      const m = /^<(\/?)([a-zA-Z-]+)((?:\s+[a-z-]+="[^"<>]*")*)\s*>/.exec(html.slice(i, i + 2_000));
      if (m === null) return { ok: false, error: `Bad Request: can't parse entities: unexpected "<" at byte offset ${i}` };
      const name = m[2]!.toLowerCase();
      if (!allowed.has(name)) return { ok: false, error: `Bad Request: can't parse entities: unsupported start tag "${name}" at byte offset ${i}` };
      if (m[1] === "/") {
        const top = stack.pop();
        if (top !== name) return { ok: false, error: `Bad Request: can't parse entities: can't find end tag corresponding to start tag "${top ?? ""}"` };
      } else {
        stack.push(name);
      }
      i += m[0].length;
      continue;
    }
    if (c === ">") return { ok: false, error: `Bad Request: can't parse entities: unexpected ">" at byte offset ${i}` };
    if (c === "&") {
      const m = /^&(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);/.exec(html.slice(i, i + 12));
      if (m === null) return { ok: false, error: `Bad Request: can't parse entities: unsupported entity at byte offset ${i}` };
      visible += 1;
      i += m[0].length;
      continue;
    }
    visible += 1;
    i += 1;
  }
  if (stack.length > 0) return { ok: false, error: `Bad Request: can't parse entities: can't find end tag corresponding to start tag "${stack.at(-1)}"` };
  return { ok: true, textLength: visible };
}
