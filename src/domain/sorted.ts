/**
 * Distinct identifiers in ascending order (UTF-16 code units, as `Array.prototype.sort`), without a hash
 * set: sorting is needed anyway wherever a set of references is committed to by one hash, and a
 * freighter's 250,000 references cost a set about as much as the sort. Input already sorted and distinct
 * (what one caller hands the next) costs one linear pass.
 */
export function sortedDistinct(values: readonly string[], repeated?: Set<string>): string[] {
  let ordered = true;
  for (let i = 1; i < values.length; i++) {
    if (!(values[i - 1]! < values[i]!)) {
      ordered = false;
      break;
    }
  }
  if (ordered) return values.slice();
  const sorted = values.slice().sort();
  let n = 0;
  for (let i = 0; i < sorted.length; i++) {
    const v = sorted[i]!;
    if (n > 0 && v === sorted[n - 1]) repeated?.add(v);
    else sorted[n++] = v;
  }
  sorted.length = n;
  return sorted;
}
