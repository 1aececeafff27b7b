/**
 * The normal form of a party's name for screening against sanctions lists: lower case, accents stripped,
 * punctuation to spaces, words sorted — "Müller, Hans" → "hans muller". Matching is exact on this form
 * (a hit is a reason for an officer to look, not a finding). One definition, for the customs rules that
 * compare sellers' names and for the vault's keyed name index that compares buyers' without opening them.
 */
export function normalisePartyName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .filter((w) => w !== '')
    .sort()
    .join(' ');
}
