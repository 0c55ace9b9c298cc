/**
 * A schema-driven SBE decoder and encoder. Both walk the layouts of `loadSbeSchema`: the 8-byte message
 * header (blockLength, templateId, schemaId, version), the root block, repeating groups (blockLength +
 * numInGroup header) and length-prefixed data, honouring `sinceVersion` and the sender's block lengths
 * so frames of an older or newer schema version decode correctly.
 */
import { blockLengthAt, primitiveSize, type FieldCodec, type Primitive, type SbeField, type SbeSchema } from "./schema.ts";

export { formatDecimal } from "./decimal.ts";

/** A decoded field: numbers (decimals already scaled), enum names, set choice names, bytes, or null. */
export type SbeValue = number | bigint | string | readonly string[] | Uint8Array | null;

export interface SbeDecoded {
  readonly templateId: number;
  readonly name: string;
  /** Schema version the sender wrote (header). */
  readonly version: number;
  readonly fields: Record<string, SbeValue>;
  readonly groups: Record<string, Record<string, SbeValue>[]>;
  readonly data: Record<string, string>;
  /** Bytes this message took. */
  readonly size: number;
}

/** A frame the decoder cannot read; `reason` is a stable shape for counting (`too short`, `templateId`, …). */
export class SbeDecodeError extends Error {
  override readonly name = "SbeDecodeError";
  readonly reason: string;
  constructor(reason: string, detail: string) {
    super(`${reason}: ${detail}`);
    this.reason = reason;
  }
}

/** What `encode` takes: field values by name (decimals as plain numbers, or bigint mantissas). */
export interface SbeInput {
  readonly [name: string]: SbeValue | undefined | readonly Readonly<Record<string, SbeValue>>[];
}

export interface EncodeOptions {
  /** Schema version to write (default: the schema's). Fields and data newer than it are left out. */
  readonly version?: number;
  /** Extra zero bytes after the root block (a newer sender's appended fields, unknown to the reader). */
  readonly extraBlock?: number;
}

export interface DecodeOptions {
  /** Int64/uint64 values as bigint and decimals as their raw bigint mantissa (exact, slower). */
  readonly exact?: boolean;
}

const HEADER = 8;

type FieldReader = (dv: DataView, at: number) => SbeValue;
const TWO32 = 4294967296;
const utf8 = new TextDecoder();
const utf8Enc = new TextEncoder();

function readAscii(bytes: Uint8Array, start: number, end: number): string {
  let s = "";
  for (let i = start; i < end; i++) {
    const c = bytes[i]!;
    if (c >= 0x80) return utf8.decode(bytes.subarray(start, end));
    s += String.fromCharCode(c);
  }
  return s;
}

/**
 * Decodes and encodes the messages of one schema.
 *
 * @example
 * const codec = new SbeCodec(loadSbeSchema(xml));
 * const m = codec.decode(frame); // { name: "BboEvent", fields: { bidPrice: 42000, … }, data: { market: "BTC-USD-PERP" } }
 */
export class SbeCodec {
  readonly schema: SbeSchema;
  readonly #le: boolean;
  readonly #pow = new Map<number, number>();
  readonly #readers = new WeakMap<readonly SbeField[], readonly FieldReader[]>();

  constructor(schema: SbeSchema) {
    this.schema = schema;
    this.#le = schema.byteOrder === "littleEndian";
  }

  /** Reads the template id of a frame without decoding it, or -1 when the frame is shorter than a header. */
  templateId(bytes: Uint8Array): number {
    if (bytes.byteLength < HEADER) return -1;
    return this.#le ? bytes[2]! | (bytes[3]! << 8) : (bytes[2]! << 8) | bytes[3]!;
  }

  /** Decodes the message at the start of `bytes`. Throws `SbeDecodeError` on anything it cannot read. */
  decode(bytes: Uint8Array, options: DecodeOptions = {}): SbeDecoded {
    if (bytes.byteLength < HEADER) throw new SbeDecodeError("too short", `${bytes.byteLength} bytes, a header is ${HEADER}`);
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const le = this.#le;
    const blockLength = dv.getUint16(0, le);
    const templateId = dv.getUint16(2, le);
    const schemaId = dv.getUint16(4, le);
    const version = dv.getUint16(6, le);
    if (schemaId !== this.schema.id) throw new SbeDecodeError("schemaId", `frame has schemaId ${schemaId}, the decoder knows ${this.schema.id}`);
    const msg = this.schema.messages.get(templateId);
    if (msg === undefined) throw new SbeDecodeError("templateId", `unknown templateId ${templateId}`);
    const exact = options.exact === true;
    let pos = HEADER + blockLength;
    if (pos > bytes.byteLength) throw new SbeDecodeError("truncated", `${msg.name} block needs ${pos} bytes, frame has ${bytes.byteLength}`);
    const fields = this.#block(dv, HEADER, blockLength, msg.fields, version, exact);
    const groups: Record<string, Record<string, SbeValue>[]> = {};
    for (const g of msg.groups) {
      if (g.sinceVersion > version) {
        groups[g.name] = [];
        continue;
      }
      if (pos + 4 > bytes.byteLength) throw new SbeDecodeError("truncated", `${msg.name}.${g.name} group header`);
      const gbl = dv.getUint16(pos, le);
      const count = dv.getUint16(pos + 2, le);
      pos += 4;
      // entries shorter than the layout at the sender's version cannot be read (and a 0-byte entry
      // repeated 65535 times is not a book)
      if (count > 0 && gbl < blockLengthAt(g.fields, Math.min(version, this.schema.version))) {
        throw new SbeDecodeError("group blockLength", `${msg.name}.${g.name}: entries of ${gbl} bytes`);
      }
      if (pos + gbl * count > bytes.byteLength) throw new SbeDecodeError("truncated", `${msg.name}.${g.name}: ${count} entries of ${gbl} bytes`);
      const entries: Record<string, SbeValue>[] = new Array(count);
      for (let i = 0; i < count; i++) {
        entries[i] = this.#block(dv, pos, gbl, g.fields, version, exact);
        pos += gbl;
      }
      groups[g.name] = entries;
    }
    const data: Record<string, string> = {};
    for (const d of msg.data) {
      if (d.sinceVersion > version) continue;
      const lsize = primitiveSize(d.lengthPrim);
      if (pos + lsize > bytes.byteLength) throw new SbeDecodeError("truncated", `${msg.name}.${d.name} length`);
      const len = lsize === 1 ? dv.getUint8(pos) : lsize === 2 ? dv.getUint16(pos, le) : dv.getUint32(pos, le);
      pos += lsize;
      if (pos + len > bytes.byteLength) throw new SbeDecodeError("truncated", `${msg.name}.${d.name}: ${len} bytes`);
      data[d.name] = readAscii(bytes, pos, pos + len);
      pos += len;
    }
    return { templateId, name: msg.name, version, fields, groups, data, size: pos };
  }

  #block(dv: DataView, base: number, blockLength: number, fields: readonly SbeField[], version: number, exact: boolean): Record<string, SbeValue> {
    const out: Record<string, SbeValue> = {};
    const readers = exact ? undefined : this.#readersOf(fields);
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i]!;
      // absent by version, or beyond what this sender wrote: null
      if (f.sinceVersion > version || f.offset + f.size > blockLength) out[f.name] = null;
      else out[f.name] = readers === undefined ? this.#read(dv, base + f.offset, f.codec, true) : readers[i]!(dv, base + f.offset);
    }
    return out;
  }

  /** Per-field readers, compiled once per layout: the hot path does no lookups and no BigInt work. */
  #readersOf(fields: readonly SbeField[]): readonly FieldReader[] {
    let r = this.#readers.get(fields);
    if (r === undefined) {
      r = fields.map((f) => this.#compile(f.codec));
      this.#readers.set(fields, r);
    }
    return r;
  }

  #compile(c: FieldCodec): FieldReader {
    const le = this.#le;
    if (c.kind === "int" || c.kind === "decimal") {
      const nul = c.nullValue === undefined ? undefined : Number(c.nullValue);
      const scale = c.kind === "decimal" ? 10 ** Math.abs(c.exponent) : 1;
      const divide = c.kind === "decimal" && c.exponent < 0;
      const multiply = c.kind === "decimal" && c.exponent > 0;
      if (c.prim === "int64" && le) {
        return function readInt64(dv, at) {
          const v = dv.getInt32(at + 4, true) * TWO32 + dv.getUint32(at, true);
          if (v === nul) return null;
          return divide ? v / scale : multiply ? v * scale : v;
        };
      }
      const prim = c.prim;
      return (dv, at) => {
        const v = this.#num(dv, at, prim);
        if (v === nul) return null;
        return divide ? v / scale : multiply ? v * scale : v;
      };
    }
    return (dv, at) => this.#read(dv, at, c, false);
  }

  #read(dv: DataView, at: number, c: FieldCodec, exact: boolean): SbeValue {
    switch (c.kind) {
      case "int": {
        if (exact && (c.prim === "int64" || c.prim === "uint64")) {
          const v = c.prim === "int64" ? dv.getBigInt64(at, this.#le) : dv.getBigUint64(at, this.#le);
          return c.nullValue !== undefined && v === c.nullValue ? null : v;
        }
        const v = this.#num(dv, at, c.prim);
        return c.nullValue !== undefined && v === Number(c.nullValue) ? null : v;
      }
      case "decimal": {
        if (exact) {
          const v = c.prim === "int64" ? dv.getBigInt64(at, this.#le) : BigInt(this.#num(dv, at, c.prim));
          return c.nullValue !== undefined && v === c.nullValue ? null : v;
        }
        const v = this.#num(dv, at, c.prim);
        if (c.nullValue !== undefined && v === Number(c.nullValue)) return null;
        return c.exponent < 0 ? v / this.#scale(-c.exponent) : v * this.#scale(c.exponent);
      }
      case "enum": {
        const v = this.#num(dv, at, c.prim);
        return c.names.get(v) ?? v;
      }
      case "set": {
        const v = this.#num(dv, at, c.prim);
        const names: string[] = [];
        for (const [bit, name] of c.choices) if ((v & (1 << bit)) !== 0) names.push(name);
        return names;
      }
      case "bytes":
        return new Uint8Array(dv.buffer.slice(dv.byteOffset + at, dv.byteOffset + at + c.length));
    }
  }

  #num(dv: DataView, at: number, p: Primitive): number {
    const le = this.#le;
    switch (p) {
      case "char":
      case "uint8":
        return dv.getUint8(at);
      case "int8":
        return dv.getInt8(at);
      case "int16":
        return dv.getInt16(at, le);
      case "uint16":
        return dv.getUint16(at, le);
      case "int32":
        return dv.getInt32(at, le);
      case "uint32":
        return dv.getUint32(at, le);
      case "int64":
        return le ? dv.getInt32(at + 4, true) * TWO32 + dv.getUint32(at, true) : dv.getInt32(at, false) * TWO32 + dv.getUint32(at + 4, false);
      case "uint64":
        return le ? dv.getUint32(at + 4, true) * TWO32 + dv.getUint32(at, true) : dv.getUint32(at, false) * TWO32 + dv.getUint32(at + 4, false);
      case "float":
        return dv.getFloat32(at, le);
      case "double":
        return dv.getFloat64(at, le);
    }
  }

  #scale(digits: number): number {
    let s = this.#pow.get(digits);
    if (s === undefined) this.#pow.set(digits, (s = 10 ** digits));
    return s;
  }

  /**
   * Encodes one message. Decimal fields take plain numbers (scaled and rounded to the schema's exponent)
   * or bigint mantissas; `null` writes the field's null value; enums take their name; sets a list of
   * choice names; groups an array of entries; data a string.
   *
   * @example
   * codec.encode("BboEvent", { ts: 1710000000000000, seq: 1, bidPrice: 42000, bidSize: 2, askPrice: null, askSize: null, market: "BTC-USD-PERP" });
   */
  encode(name: string, values: SbeInput, options: EncodeOptions = {}): Uint8Array {
    const msg = this.schema.byName.get(name);
    if (msg === undefined) throw new RangeError(`no message ${name} in schema ${this.schema.id}`);
    const version = options.version ?? this.schema.version;
    const blockLength = blockLengthAt(msg.fields, version) + (options.extraBlock ?? 0);
    const groups = msg.groups.filter((g) => g.sinceVersion <= version);
    const datas = msg.data.filter((d) => d.sinceVersion <= version);
    const strings = datas.map((d) => utf8Enc.encode(String(values[d.name] ?? "")));
    let size = HEADER + blockLength;
    const entries = groups.map((g) => {
      const list = (values[g.name] ?? []) as readonly Readonly<Record<string, SbeValue>>[];
      size += 4 + list.length * blockLengthAt(g.fields, version);
      return list;
    });
    datas.forEach((d, i) => (size += primitiveSize(d.lengthPrim) + strings[i]!.byteLength));
    const bytes = new Uint8Array(size);
    const dv = new DataView(bytes.buffer);
    const le = this.#le;
    dv.setUint16(0, blockLength, le);
    dv.setUint16(2, msg.id, le);
    dv.setUint16(4, this.schema.id, le);
    dv.setUint16(6, version, le);
    this.#writeBlock(dv, HEADER, msg.fields, values as Readonly<Record<string, SbeValue>>, version, msg.name);
    let pos = HEADER + blockLength;
    groups.forEach((g, gi) => {
      const gbl = blockLengthAt(g.fields, version);
      const list = entries[gi]!;
      dv.setUint16(pos, gbl, le);
      dv.setUint16(pos + 2, list.length, le);
      pos += 4;
      for (const e of list) {
        this.#writeBlock(dv, pos, g.fields, e, version, `${msg.name}.${g.name}`);
        pos += gbl;
      }
    });
    datas.forEach((d, i) => {
      const s = strings[i]!;
      const lsize = primitiveSize(d.lengthPrim);
      if (s.byteLength >= 2 ** (8 * lsize)) throw new RangeError(`${msg.name}.${d.name} is longer than its length prefix allows`);
      if (lsize === 1) dv.setUint8(pos, s.byteLength);
      else if (lsize === 2) dv.setUint16(pos, s.byteLength, le);
      else dv.setUint32(pos, s.byteLength, le);
      pos += lsize;
      bytes.set(s, pos);
      pos += s.byteLength;
    });
    return bytes;
  }

  #writeBlock(dv: DataView, base: number, fields: readonly SbeField[], values: Readonly<Record<string, SbeValue>>, version: number, where: string): void {
    for (const f of fields) {
      if (f.sinceVersion > version) continue;
      const v = values[f.name];
      const c = f.codec;
      const at = base + f.offset;
      switch (c.kind) {
        case "int":
        case "decimal": {
          let raw: bigint;
          if (v === null || v === undefined) {
            if (c.nullValue === undefined) throw new RangeError(`${where}.${f.name} is required`);
            raw = c.nullValue;
          } else if (typeof v === "bigint") raw = v;
          else if (typeof v === "number") raw = BigInt(Math.round(c.kind === "decimal" ? v * 10 ** -c.exponent : v));
          else throw new RangeError(`${where}.${f.name}: expected a number`);
          this.#writeInt(dv, at, c.prim, raw);
          break;
        }
        case "enum": {
          const n = typeof v === "number" ? v : typeof v === "string" ? c.values.get(v) : undefined;
          if (n === undefined) throw new RangeError(`${where}.${f.name}: ${String(v)} is not a ${c.type}`);
          this.#writeInt(dv, at, c.prim, BigInt(n));
          break;
        }
        case "set": {
          let bits = 0;
          for (const name of (v ?? []) as readonly string[]) {
            const choice = c.choices.find((x) => x[1] === name && x[2] <= version);
            if (choice === undefined) throw new RangeError(`${where}.${f.name}: ${name} is not a ${c.type} choice at version ${version}`);
            bits |= 1 << choice[0];
          }
          this.#writeInt(dv, at, c.prim, BigInt(bits));
          break;
        }
        case "bytes":
          if (v instanceof Uint8Array) new Uint8Array(dv.buffer, at, c.length).set(v.subarray(0, c.length));
          break;
      }
    }
  }

  #writeInt(dv: DataView, at: number, p: Primitive, v: bigint): void {
    const le = this.#le;
    switch (p) {
      case "char":
      case "uint8":
        return dv.setUint8(at, Number(v));
      case "int8":
        return dv.setInt8(at, Number(v));
      case "int16":
        return dv.setInt16(at, Number(v), le);
      case "uint16":
        return dv.setUint16(at, Number(v), le);
      case "int32":
        return dv.setInt32(at, Number(v), le);
      case "uint32":
        return dv.setUint32(at, Number(v), le);
      case "int64":
        return dv.setBigInt64(at, v, le);
      case "uint64":
        return dv.setBigUint64(at, v, le);
      case "float":
        return dv.setFloat32(at, Number(v), le);
      case "double":
        return dv.setFloat64(at, Number(v), le);
    }
  }
}
