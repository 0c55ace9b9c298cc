import * as v from "valibot";
import { defineNotifier } from "../../../core/plugin.ts";
import { formatAlertJson, formatAlertPretty } from "./format.ts";

const configSchema = v.strictObject({
  format: v.optional(v.pipe(v.picklist(["pretty", "json"]), v.description("`pretty` blocks for a terminal or one JSON object per line. Default \"pretty\".")), "pretty"),
  stream: v.optional(v.pipe(v.picklist(["stdout", "stderr"]), v.description("Where alerts are written. Default \"stdout\".")), "stdout"),
});

/** Prints alerts to the terminal. Always available as `console` in routes, even without a table. */
export const consoleNotifier = defineNotifier({
  name: "console",
  description: "Prints alerts to stdout (pretty or JSON lines)",
  config: configSchema,
  setup(ctx) {
    const write = ctx.config.stream === "stderr" ? (s: string) => process.stderr.write(s) : (s: string) => process.stdout.write(s);
    return {
      async send(alert) {
        write((ctx.config.format === "json" ? formatAlertJson(alert) : formatAlertPretty(alert)) + "\n");
      },
    };
  },
});
