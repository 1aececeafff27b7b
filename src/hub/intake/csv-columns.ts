/**
 * CSV manifests: the same fields as NDJSON, one column per leaf, named by its dotted path
 * (`consignee.name`, `items.0.hsCode`). Repeated items take one group of columns per item, numbered from 0
 * (`items.0.description` … `items.1.description` …): a file has as many groups as its largest parcel has
 * items, and a row leaves the groups it does not need empty. An empty cell is an absent field.
 *
 * The columns are derived from the manifest schema, so a new field is a new column without a change here.
 */
import { ManifestLineSchema, MAX_ITEMS } from './manifest-schema.js';

/** What the schema says of one leaf: where it goes and whether its text is read as a number. */
interface Leaf {
  readonly path: readonly string[];
  readonly numeric: boolean;
  readonly required: boolean;
}

interface Node {
  readonly type?: unknown;
  readonly properties?: Readonly<Record<string, Node>>;
  readonly required?: readonly string[];
  readonly items?: Node;
}

/** Leaves of an object schema, `items` arrays described by their element's leaves (path `[key, '*', …]`). */
function leaves(node: Node, prefix: readonly string[] = [], parentRequired = true): Leaf[] {
  const required = new Set(node.required ?? []);
  return Object.entries(node.properties ?? {}).flatMap(([key, child]) => {
    const path = [...prefix, key];
    const isRequired = parentRequired && required.has(key);
    if (child.properties !== undefined) return leaves(child, path, isRequired);
    if (child.items?.properties !== undefined) return leaves(child.items, [...path, '*'], isRequired);
    return [{ path, numeric: child.type === 'number' || child.type === 'integer', required: isRequired }];
  });
}

const LEAVES = leaves(ManifestLineSchema);
const BY_NAME = new Map(LEAVES.map((l) => [l.path.join('.'), l]));
const NUMBER = /^-?[0-9]+(\.[0-9]+)?$/;
const SAFE_NAME = /^[A-Za-z0-9_.]{1,80}$/;

export interface HeaderError {
  readonly field: string;
  readonly reason: string;
}

/** One column: the leaf it fills, and for item columns the item index. */
interface Column {
  readonly leaf: Leaf;
  readonly item: number | undefined;
}

/** Turns rows into manifest values, for one header. */
export class CsvLayout {
  private constructor(private readonly columns: readonly Column[]) {}

  /** The layout of `header`, or why it cannot be read (unknown, repeated or missing columns). */
  static fromHeader(header: readonly string[]): CsvLayout | HeaderError[] {
    const errors: HeaderError[] = [];
    const columns: Column[] = [];
    const seen = new Set<string>();
    const itemGroups = new Set<number>();
    for (const [i, raw] of header.entries()) {
      const name = (i === 0 ? raw.replace(/^\uFEFF/, '') : raw).trim();
      const shown = SAFE_NAME.test(name) ? `"${name}"` : `${i + 1}`;
      const m = /^items\.(0|[1-9][0-9]{0,2})\.(.+)$/.exec(name);
      const item = m === null ? undefined : Number(m[1]);
      const leaf = BY_NAME.get(m === null ? name : `items.*.${m[2]}`);
      if (leaf === undefined || (item !== undefined && item >= MAX_ITEMS)) {
        errors.push({ field: `column ${shown}`, reason: 'unknown column' });
      } else if (seen.has(name)) {
        errors.push({ field: `column ${shown}`, reason: 'appears twice' });
      } else {
        seen.add(name);
        columns.push({ leaf, item });
        if (item !== undefined) itemGroups.add(item);
      }
    }
    if (!itemGroups.has(0)) itemGroups.add(0); // a parcel has at least one item
    for (const leaf of LEAVES) {
      if (!leaf.required) continue;
      const names = leaf.path[1] === '*' ? [...itemGroups].map((n) => leaf.path.join('.').replace('*', String(n))) : [leaf.path.join('.')];
      for (const name of names) if (!seen.has(name)) errors.push({ field: `column "${name}"`, reason: 'missing: the field is required' });
    }
    return errors.length > 0 ? errors : new CsvLayout(columns);
  }

  get width(): number {
    return this.columns.length;
  }

  /** The manifest value of a row of `width` cells (checked by the caller). Empty cells are left out. */
  toValue(cells: readonly string[]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    let items: Record<string, unknown>[] | undefined;
    for (let i = 0; i < this.columns.length; i++) {
      const cell = cells[i];
      if (cell === undefined || cell === '') continue;
      const { leaf, item } = this.columns[i]!;
      const value = leaf.numeric && NUMBER.test(cell) ? Number(cell) : cell;
      if (item !== undefined) {
        items ??= [];
        // Groups before the last one used become (possibly empty) items, so errors name the right index.
        while (items.length <= item) items.push({});
        items[item]![leaf.path[2]!] = value;
      } else if (leaf.path.length === 1) {
        out[leaf.path[0]!] = value;
      } else {
        const parent = leaf.path[0]!;
        const obj = (out[parent] ??= {}) as Record<string, unknown>;
        obj[leaf.path[1]!] = value;
      }
    }
    if (items !== undefined) out['items'] = items;
    return out;
  }
}
