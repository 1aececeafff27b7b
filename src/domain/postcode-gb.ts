/**
 * United Kingdom postcodes (Royal Mail Postcode Address File rules, BS 7666): an outward code
 * (area of 1–2 letters, then a district: A9, A99, AA9, AA99, A9A or AA9A) and an inward code
 * (a digit and two letters), written with one space between, e.g. `SW1A 1AA`. Also `GIR 0AA` and
 * British Forces `BFPO n`. Areas are the Royal Mail postcode areas as Google's libaddressinput data
 * lists them for GB (126, counting the Crown dependencies GY, JE, IM and the non-geographic BX).
 */
import { isDigit, isUpper } from './chars.js';
import { fail, ok, type Parsed } from './parsed.js';

const AREAS: ReadonlySet<string> = new Set(
  ('AB AL B BA BB BD BF BH BL BN BR BS BT BX CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT DY ' +
    'E EC EH EN EX FK FY G GL GY GU HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY L LA LD LE LL LN ' +
    'LS LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG SK SL SM SN SO SP ' +
    'SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV YO ZE').split(' '),
);

// Letters Royal Mail allows in the places where a letter can follow a digit.
const INWARD_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ'; // never C I K M O V
const A9A_LETTERS = 'ABCDEFGHJKPSTUW'; // 4th character of A9A outward codes
const AA9A_LETTERS = 'ABEHMNPRVWXY'; // 4th character of AA9A outward codes

const BAD_SHAPE = fail('must be an outward code (e.g. SW1A) and an inward code (e.g. 1AA)');
const BAD_AREA = fail('is not in a Royal Mail postcode area');
const BAD_INWARD = fail('inward code (last 3 characters) must be a digit and two letters, not C, I, K, M, O or V');
const BAD_BFPO = fail('BFPO number must be 1 to 4 digits');

/**
 * Validates `s` (upper case, without spaces) and returns the canonical `OUTWARD INWARD` form.
 */
export function normaliseGb(s: string): Parsed<string> {
  if (s === 'GIR0AA') return ok('GIR 0AA');
  if (s.startsWith('BFPO')) {
    const n = s.length - 4;
    for (let i = 4; i < s.length; i++) if (!isDigit(s.charCodeAt(i))) return BAD_BFPO;
    return n >= 1 && n <= 4 ? ok(`BFPO ${s.slice(4)}`) : BAD_BFPO;
  }
  if (s.length < 5 || s.length > 7) return BAD_SHAPE;
  const inwardAt = s.length - 3;
  if (!isDigit(s.charCodeAt(inwardAt))) return BAD_INWARD;
  if (!INWARD_LETTERS.includes(s.charAt(inwardAt + 1)) || !INWARD_LETTERS.includes(s.charAt(inwardAt + 2))) {
    return BAD_INWARD;
  }
  const outward = s.slice(0, inwardAt);
  const areaLength = isUpper(outward.charCodeAt(1)) ? 2 : 1;
  if (!isUpper(outward.charCodeAt(0))) return BAD_SHAPE;
  if (!AREAS.has(outward.slice(0, areaLength))) return BAD_AREA;
  // District: a digit, then nothing, a digit, or (restricted) a letter.
  const district = outward.length - areaLength;
  if (district < 1 || district > 2 || !isDigit(outward.charCodeAt(areaLength))) return BAD_SHAPE;
  if (district === 2) {
    const last = outward.charCodeAt(areaLength + 1);
    if (!isDigit(last)) {
      const allowed = areaLength === 1 ? A9A_LETTERS : AA9A_LETTERS;
      if (!allowed.includes(outward.charAt(areaLength + 1))) return BAD_SHAPE;
    }
  }
  return ok(`${outward} ${s.slice(inwardAt)}`);
}
