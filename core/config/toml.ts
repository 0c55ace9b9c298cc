/**
 * TOML text → plain value, with a syntax error reported in the config error style
 * (`file:LINE:COL: expected valid TOML, found a syntax error: …`). Shared by every TOML file the bot reads.
 */
import { parse as parseToml, TomlError } from "smol-toml";
import { ConfigError } from "../errors.ts";

/**
 * Parses TOML `source` read from `file`. Throws `ConfigError` with the line and column of a syntax error;
 * any other failure is rethrown as is.
 *
 * @example
 * const raw = parseTomlSource(await Bun.file(path).text(), path);
 */
export function parseTomlSource(source: string, file: string): unknown {
  try {
    return parseToml(source);
  } catch (error) {
    if (error instanceof TomlError) {
      const message = error.message.split("\n")[0]?.replace(/^Invalid TOML document: /, "") ?? "invalid TOML";
      throw new ConfigError([{ file, line: error.line, col: error.column, path: "", message: `expected valid TOML, found a syntax error: ${message}` }]);
    }
    throw error;
  }
}
