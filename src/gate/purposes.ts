import * as cedar from '@cedar-policy/cedar-wasm/nodejs';

/**
 * The purposes a policy names: every string that a rule compares `context.purpose` with (`==`, or
 * `[…].contains(context.purpose)`), read from the rules' JSON form rather than their text. A request
 * for any other purpose could only be refused, and its purpose would stand in the public log as the
 * caller wrote it, free text such as a person's name; the gate refuses it as malformed instead.
 */
export function policyPurposes(policies: readonly string[]): ReadonlySet<string> {
  const out = new Set<string>();
  for (const text of policies) {
    const parsed = cedar.policyToJson(text);
    if (parsed.type === 'failure') throw new Error(`policy does not parse: ${parsed.errors.map((e) => e.message).join('; ')}`);
    collect(parsed.json as unknown as Json, out);
  }
  return out;
}

type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

function isPurpose(node: Json | undefined): boolean {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return false;
  const get = (node as { readonly [key: string]: Json })['.'];
  if (typeof get !== 'object' || get === null || Array.isArray(get)) return false;
  const { left, attr } = get as { readonly [key: string]: Json };
  return attr === 'purpose' && typeof left === 'object' && left !== null && !Array.isArray(left) && (left as { readonly Var?: Json }).Var === 'context';
}

function value(node: Json | undefined): string | undefined {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
  const v = (node as { readonly Value?: Json }).Value;
  return typeof v === 'string' ? v : undefined;
}

function collect(node: Json, out: Set<string>): void {
  if (typeof node !== 'object' || node === null) return;
  if (Array.isArray(node)) {
    for (const n of node as readonly Json[]) collect(n, out);
    return;
  }
  const obj = node as { readonly [key: string]: Json };
  const eq = obj['=='];
  if (typeof eq === 'object' && eq !== null && !Array.isArray(eq)) {
    const { left, right } = eq as { readonly [key: string]: Json };
    const named = isPurpose(left) ? value(right) : isPurpose(right) ? value(left) : undefined;
    if (named !== undefined) out.add(named);
  }
  const contains = obj['contains'];
  if (typeof contains === 'object' && contains !== null && !Array.isArray(contains)) {
    const { left, right } = contains as { readonly [key: string]: Json };
    const set = typeof left === 'object' && left !== null && !Array.isArray(left) ? (left as { readonly Set?: Json }).Set : undefined;
    if (isPurpose(right) && Array.isArray(set)) for (const v of set as readonly Json[]) if (value(v) !== undefined) out.add(value(v)!);
  }
  for (const child of Object.values(obj)) collect(child, out);
}
