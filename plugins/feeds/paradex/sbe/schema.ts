/**
 * An SBE message schema (FIX Simple Binary Encoding XML) turned into byte layouts: every message's root
 * block fields with their offsets, repeating groups and variable-length data, in wire order. The decoder
 * and encoder (codec.ts) only walk these layouts, so a new schema version is a new XML file, not new code.
 */
import { parseXml, type XmlElement } from "./xml.ts";

export type Primitive = "char" | "int8" | "uint8" | "int16" | "uint16" | "int32" | "uint32" | "int64" | "uint64" | "float" | "double";

const SIZES: Readonly<Record<Primitive, number>> = {
  char: 1,
  int8: 1,
  uint8: 1,
  int16: 2,
  uint16: 2,
  int32: 4,
  uint32: 4,
  int64: 8,
  uint64: 8,
  float: 4,
  double: 8,
};

/** The SBE spec's null value of an optional primitive without an explicit `nullValue`. */
const DEFAULT_NULL: Readonly<Record<Primitive, bigint>> = {
  char: 0n,
  int8: -128n,
  uint8: 255n,
  int16: -32768n,
  uint16: 65535n,
  int32: -2147483648n,
  uint32: 4294967295n,
  int64: -9223372036854775808n,
  uint64: 18446744073709551615n,
  float: 0n,
  double: 0n,
};

/** How one fixed-size field is read and written. */
export type FieldCodec =
  | { readonly kind: "int"; readonly prim: Primitive; readonly nullValue: bigint | undefined }
  /** A fixed-point decimal: `mantissa × 10^exponent`, the exponent a schema constant. */
  | { readonly kind: "decimal"; readonly prim: Primitive; readonly exponent: number; readonly nullValue: bigint | undefined }
  | { readonly kind: "enum"; readonly prim: Primitive; readonly type: string; readonly names: ReadonlyMap<number, string>; readonly values: ReadonlyMap<string, number> }
  | { readonly kind: "set"; readonly prim: Primitive; readonly type: string; readonly choices: readonly (readonly [bit: number, name: string, sinceVersion: number])[] }
  | { readonly kind: "bytes"; readonly length: number };

export interface SbeField {
  readonly name: string;
  readonly id: number;
  readonly offset: number;
  readonly size: number;
  readonly sinceVersion: number;
  readonly codec: FieldCodec;
}

export interface SbeGroup {
  readonly name: string;
  readonly id: number;
  readonly sinceVersion: number;
  /** Entry block length at the schema's version. */
  readonly blockLength: number;
  readonly fields: readonly SbeField[];
}

export interface SbeData {
  readonly name: string;
  readonly id: number;
  readonly sinceVersion: number;
  /** Primitive of the length prefix (`uint8` for `varString8`). */
  readonly lengthPrim: Primitive;
}

export interface SbeMessage {
  readonly name: string;
  readonly id: number;
  /** Root block length at the schema's version. */
  readonly blockLength: number;
  readonly fields: readonly SbeField[];
  readonly groups: readonly SbeGroup[];
  readonly data: readonly SbeData[];
}

export interface SbeSchema {
  readonly id: number;
  readonly version: number;
  readonly byteOrder: "littleEndian" | "bigEndian";
  readonly messages: ReadonlyMap<number, SbeMessage>;
  readonly byName: ReadonlyMap<string, SbeMessage>;
}

/** A problem in the schema file itself. */
export class SbeSchemaError extends Error {
  override readonly name = "SbeSchemaError";
}

type TypeDef =
  | { readonly kind: "prim"; readonly prim: Primitive; readonly length: number; readonly optional: boolean; readonly nullValue: bigint | undefined }
  | { readonly kind: "composite"; readonly el: XmlElement }
  | { readonly kind: "enum"; readonly el: XmlElement }
  | { readonly kind: "set"; readonly el: XmlElement };

function prim(name: string | undefined, where: string): Primitive {
  if (name !== undefined && name in SIZES) return name as Primitive;
  throw new SbeSchemaError(`${where}: unknown primitive type ${JSON.stringify(name)}`);
}

function int(s: string | undefined, fallback: number): number {
  if (s === undefined) return fallback;
  const v = Number(s.trim());
  if (!Number.isInteger(v)) throw new SbeSchemaError(`expected an integer, found ${JSON.stringify(s)}`);
  return v;
}

function local(name: string): string {
  const i = name.indexOf(":");
  return i < 0 ? name : name.slice(i + 1);
}

/**
 * Reads an SBE XML schema.
 *
 * @example
 * const schema = loadSbeSchema(await Bun.file("paradex_1_0.xml").text());
 * schema.byName.get("BookEvent")?.blockLength; // 89
 */
export function loadSbeSchema(xml: string): SbeSchema {
  const root = parseXml(xml);
  if (local(root.name) !== "messageSchema") throw new SbeSchemaError(`root element is <${root.name}>, expected <sbe:messageSchema>`);
  const version = int(root.attrs.version, 0);
  const byteOrder = root.attrs.byteOrder === "bigEndian" ? "bigEndian" : "littleEndian";
  const types = new Map<string, TypeDef>();
  for (const block of root.children.filter((c) => local(c.name) === "types")) {
    for (const t of block.children) {
      const name = t.attrs.name;
      if (name === undefined) throw new SbeSchemaError(`<${t.name}> without a name`);
      switch (t.name) {
        case "type": {
          const p = prim(t.attrs.primitiveType, `type ${name}`);
          const optional = t.attrs.presence === "optional";
          const nv = t.attrs.nullValue;
          types.set(name, { kind: "prim", prim: p, length: int(t.attrs.length, 1), optional, nullValue: nv !== undefined ? BigInt(nv) : optional ? DEFAULT_NULL[p] : undefined });
          break;
        }
        case "composite":
          types.set(name, { kind: "composite", el: t });
          break;
        case "enum":
          types.set(name, { kind: "enum", el: t });
          break;
        case "set":
          types.set(name, { kind: "set", el: t });
          break;
        default:
          throw new SbeSchemaError(`unsupported type element <${t.name}> (${name})`);
      }
    }
  }

  function codecOf(typeName: string, presence: string | undefined, where: string): { codec: FieldCodec; size: number } {
    if (typeName in SIZES) {
      const p = typeName as Primitive;
      return { codec: { kind: "int", prim: p, nullValue: presence === "optional" ? DEFAULT_NULL[p] : undefined }, size: SIZES[p] };
    }
    const t = types.get(typeName);
    if (t === undefined) throw new SbeSchemaError(`${where}: unknown type ${typeName}`);
    switch (t.kind) {
      case "prim":
        if (t.length !== 1) return { codec: { kind: "bytes", length: t.length * SIZES[t.prim] }, size: t.length * SIZES[t.prim] };
        return { codec: { kind: "int", prim: t.prim, nullValue: presence === "optional" ? (t.nullValue ?? DEFAULT_NULL[t.prim]) : t.nullValue }, size: SIZES[t.prim] };
      case "enum": {
        const p = prim(t.el.attrs.encodingType, `enum ${typeName}`);
        const names = new Map<number, string>();
        const values = new Map<string, number>();
        for (const v of t.el.children) {
          const n = int(v.text, 0);
          names.set(n, v.attrs.name!);
          values.set(v.attrs.name!, n);
        }
        return { codec: { kind: "enum", prim: p, type: typeName, names, values }, size: SIZES[p] };
      }
      case "set": {
        const p = prim(t.el.attrs.encodingType, `set ${typeName}`);
        const choices = t.el.children.map((c) => [int(c.text, 0), c.attrs.name!, int(c.attrs.sinceVersion, 0)] as const);
        return { codec: { kind: "set", prim: p, type: typeName, choices }, size: SIZES[p] };
      }
      case "composite": {
        // A fixed-point decimal: one wire member (the mantissa) and a constant exponent.
        const wire = t.el.children.filter((m) => m.attrs.presence !== "constant");
        const exp = t.el.children.find((m) => m.attrs.name === "exponent" && m.attrs.presence === "constant");
        const m = wire[0];
        if (wire.length === 1 && m !== undefined && exp !== undefined) {
          const p = prim(m.attrs.primitiveType, `composite ${typeName}`);
          const optional = m.attrs.presence === "optional" || presence === "optional";
          const nv = m.attrs.nullValue;
          const nullValue = optional ? (nv !== undefined ? BigInt(nv) : DEFAULT_NULL[p]) : undefined;
          return { codec: { kind: "decimal", prim: p, exponent: int(exp.text, 0), nullValue }, size: SIZES[p] };
        }
        throw new SbeSchemaError(`${where}: composite ${typeName} is not a fixed-point decimal; only those are supported as fields`);
      }
    }
  }

  function fieldsOf(els: readonly XmlElement[], where: string): { fields: SbeField[]; blockLength: number } {
    const fields: SbeField[] = [];
    let offset = 0;
    for (const f of els) {
      const name = f.attrs.name ?? "";
      const { codec, size } = codecOf(f.attrs.type ?? "", f.attrs.presence, `${where}.${name}`);
      const at = f.attrs.offset !== undefined ? int(f.attrs.offset, 0) : offset;
      fields.push({ name, id: int(f.attrs.id, 0), offset: at, size, sinceVersion: int(f.attrs.sinceVersion, 0), codec });
      offset = at + size;
    }
    return { fields, blockLength: offset };
  }

  function lengthPrimOf(typeName: string): Primitive {
    const t = types.get(typeName);
    const len = t?.kind === "composite" ? t.el.children.find((m) => m.attrs.name === "length") : undefined;
    return prim(len?.attrs.primitiveType, `data type ${typeName}`);
  }

  const messages = new Map<number, SbeMessage>();
  const byName = new Map<string, SbeMessage>();
  for (const m of root.children.filter((c) => local(c.name) === "message")) {
    const name = m.attrs.name ?? "";
    const root = fieldsOf(m.children.filter((c) => c.name === "field"), name);
    const groups: SbeGroup[] = m.children
      .filter((c) => c.name === "group")
      .map((g) => {
        const gf = fieldsOf(g.children.filter((c) => c.name === "field"), `${name}.${g.attrs.name}`);
        if (g.children.some((c) => c.name === "group" || c.name === "data")) throw new SbeSchemaError(`${name}.${g.attrs.name}: nested groups and data are not supported`);
        return { name: g.attrs.name ?? "", id: int(g.attrs.id, 0), sinceVersion: int(g.attrs.sinceVersion, 0), blockLength: gf.blockLength, fields: gf.fields };
      });
    const data: SbeData[] = m.children
      .filter((c) => c.name === "data")
      .map((d) => ({ name: d.attrs.name ?? "", id: int(d.attrs.id, 0), sinceVersion: int(d.attrs.sinceVersion, 0), lengthPrim: lengthPrimOf(d.attrs.type ?? "") }));
    const msg: SbeMessage = { name, id: int(m.attrs.id, 0), blockLength: int(m.attrs.blockLength, root.blockLength), fields: root.fields, groups, data };
    if (messages.has(msg.id)) throw new SbeSchemaError(`template id ${msg.id} is used twice`);
    messages.set(msg.id, msg);
    byName.set(name, msg);
  }
  return { id: int(root.attrs.id, 0), version, byteOrder, messages, byName };
}

/** Bytes of a primitive on the wire. */
export function primitiveSize(p: Primitive): number {
  return SIZES[p];
}

/** Root or group block length at a version: the end of the last field present at that version. */
export function blockLengthAt(fields: readonly SbeField[], version: number): number {
  let end = 0;
  for (const f of fields) if (f.sinceVersion <= version && f.offset + f.size > end) end = f.offset + f.size;
  return end;
}

/** The codec of a message layout's field by name (tests, tools). */
export function fieldOf(msg: SbeMessage, name: string): SbeField | undefined {
  return msg.fields.find((f) => f.name === name);
}
