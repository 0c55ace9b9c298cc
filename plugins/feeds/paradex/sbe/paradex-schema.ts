/**
 * Paradex's published SBE schema (`paradex_1_0.xml`, schema id 1, from tradeparadex/paradex-py; provenance
 * in ../fixtures/sources.txt), loaded once into a codec.
 */
import { readFileSync } from "node:fs";
import { SbeCodec } from "./codec.ts";
import { loadSbeSchema } from "./schema.ts";

/** Schema id Paradex frames carry. */
export const PARADEX_SBE_SCHEMA_ID = 1;
/**
 * The version the feed asks for (`sbeSchemaVersion`): the schema notes say every environment caps
 * negotiation at 1:1 while the file already describes 1:2; the decoder reads 0, 1 and 2 alike.
 */
export const PARADEX_SBE_VERSION = 1;

let codec: SbeCodec | undefined;

/** The codec of the bundled schema (read and laid out on first use). */
export function paradexCodec(): SbeCodec {
  codec ??= new SbeCodec(loadSbeSchema(readFileSync(new URL("./paradex_1_0.xml", import.meta.url), "utf8")));
  return codec;
}
