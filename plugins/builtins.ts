/**
 * The built-in plugins: what `plugin = "<name>"` resolves to, `bun run bot plugins` lists, and the JSON
 * Schema covers. A new built-in is added here and nowhere in core/.
 */
import { createRegistry } from "../core/registry.ts";
import { consoleNotifier } from "./notifiers/console/index.ts";

export const builtinRegistry = createRegistry([consoleNotifier]);
