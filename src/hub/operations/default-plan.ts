/**
 * A realistic default: outbound lanes to last-mile carriers in every EU member state, a hold lane and an
 * exceptions lane, and a sort plan over them. Carrier names are configuration data for the demo — which
 * carrier serves which region here is invented, not a statement about any carrier's network. Carriers
 * are named by an organisation slug (as principals are), which is what a dispatch manifest is disclosed to.
 */
import type { Kysely } from 'kysely';
import { EU_MEMBER_STATES } from '../../domain/index.js';
import type { Database } from '../../store/index.js';
import { currentSortPlan, defineLanes, publishSortPlan } from './plans.js';
import type { Lane, SortPlanVersion, SortRule } from './sort-plan.js';

export const HOLD_LANE = 'HOLD';
export const EXCEPTIONS_LANE = 'EXCEPTIONS';

type Row = readonly [country: string, lane: string, carrier: string, service: string, departure: string, prefixes?: readonly string[]];

// Without prefixes, a lane is its country's default; with prefixes, it takes those regions.
const ROWS: readonly Row[] = [
  ['AT', 'AT-POST', 'post-at', 'Paket Standard', '20:30'],
  ['AT', 'AT-DPD-WIEN', 'dpd-at', 'Classic', '22:00', ['1']],
  ['BE', 'BE-BPOST', 'bpost', 'bpack 24h', '23:00'],
  ['BE', 'BE-DPD-ANTWERPEN', 'dpd-be', 'Classic', '23:30', ['2']],
  ['BG', 'BG-SPEEDY', 'speedy', 'Standard', '18:00'],
  ['CY', 'CY-POST', 'cyprus-post', 'Parcel', '14:00'],
  ['CZ', 'CZ-PPL', 'ppl', 'Parcel CZ Business', '19:00'],
  ['DE', 'DE-DHL', 'dhl-de', 'Paket', '22:30'],
  ['DE', 'DE-DPD-SUED', 'dpd-de', 'Classic', '21:45', ['8', '9']],
  ['DE', 'DE-GLS-WEST', 'gls-de', 'BusinessParcel', '23:15', ['4', '5']],
  ['DK', 'DK-POSTNORD', 'postnord-dk', 'MyPack Home', '19:30'],
  ['DK', 'DK-GLS-JYLLAND', 'gls-dk', 'PrivateDelivery', '19:45', ['7', '8', '9']],
  ['EE', 'EE-OMNIVA', 'omniva', 'Parcel terminal', '17:00'],
  ['ES', 'ES-CORREOS', 'correos', 'Paq Estándar', '18:30'],
  ['ES', 'ES-SEUR-MAD-BCN', 'seur', 'SEUR 24', '20:00', ['28', '08']],
  ['FI', 'FI-POSTI', 'posti', 'Postipaketti', '17:30'],
  ['FR', 'FR-COLISSIMO', 'colissimo', 'Domicile', '21:00'],
  ['FR', 'FR-CHRONOPOST-IDF', 'chronopost', 'Chrono 13', '22:15', ['75', '77', '78', '91', '92', '93', '94', '95']],
  ['FR', 'FR-GLS-LYON', 'gls-fr', 'BusinessParcel', '21:30', ['69']],
  ['GR', 'GR-ACS', 'acs', 'Standard', '15:00'],
  ['HR', 'HR-POSTA', 'posta-hr', 'Paket 24', '16:30'],
  ['HU', 'HU-POSTA', 'magyar-posta', 'MPL Csomag', '18:15'],
  ['HU', 'HU-GLS-BUDAPEST', 'gls-hu', 'BusinessParcel', '18:45', ['1']],
  ['IE', 'IE-ANPOST', 'an-post', 'Parcel Plus', '16:00'],
  ['IT', 'IT-POSTE', 'poste-italiane', 'Poste Delivery Web', '19:15'],
  ['IT', 'IT-BRT-NORD', 'brt', 'Express', '20:15', ['10', '20', '24', '25']],
  ['LT', 'LT-OMNIVA', 'omniva-lt', 'Parcel terminal', '17:15'],
  ['LU', 'LU-POST', 'post-lu', 'Colis', '23:45'],
  ['LV', 'LV-PASTS', 'latvijas-pasts', 'Parcel', '17:10'],
  ['MT', 'MT-MALTAPOST', 'maltapost', 'Parcel', '13:00'],
  ['NL', 'NL-POSTNL', 'postnl', 'Pakket', '23:30'],
  ['NL', 'NL-DHL-RANDSTAD', 'dhl-nl', 'Parcel Connect', '23:50', ['10', '11', '25', '30']],
  ['PL', 'PL-INPOST', 'inpost', 'Paczkomat', '19:00'],
  ['PL', 'PL-DPD-WARSZAWA', 'dpd-pl', 'Classic', '19:20', ['0']],
  ['PT', 'PT-CTT', 'ctt', 'Expresso', '15:30'],
  ['RO', 'RO-FANCOURIER', 'fan-courier', 'Standard', '16:45'],
  ['SE', 'SE-POSTNORD', 'postnord-se', 'MyPack Home', '18:00'],
  ['SI', 'SI-POSTA', 'posta-si', 'Paket', '18:10'],
  ['SK', 'SK-POSTA', 'posta-sk', 'Balík', '18:20'],
];

/** The default lanes: one per row above, then hold and exceptions. */
export function defaultLanes(): Lane[] {
  return [
    ...ROWS.map(([, id, carrier, service, departure]): Lane => ({ id, kind: 'outbound', carrier, service, departure })),
    { id: HOLD_LANE, kind: 'hold', carrier: null, service: 'Customs hold cage', departure: null },
    { id: EXCEPTIONS_LANE, kind: 'exceptions', carrier: null, service: 'Problem parcels desk', departure: null },
  ];
}

/** The default rules: a country-wide rule per member state, and the regional ones. */
export function defaultRules(): SortRule[] {
  return ROWS.flatMap(([country, lane, , , , prefixes]) =>
    prefixes === undefined ? [{ country, lane }] : prefixes.map((postcodePrefix) => ({ country, postcodePrefix, lane })),
  );
}

/** Every EU member state has a country-wide rule (checked by the tests). */
export const DEFAULT_PLAN_COUNTRIES: readonly string[] = EU_MEMBER_STATES;

/**
 * Defines the default lanes and publishes the default plan unless a plan exists already; for the demo
 * and for a fresh hub. Answers the newest plan either way.
 */
export async function seedDefaultSortPlan(db: Kysely<Database>, author = 'glasshub-seed'): Promise<SortPlanVersion> {
  await defineLanes(db, defaultLanes());
  const existing = await currentSortPlan(db);
  return existing ?? publishSortPlan(db, { rules: defaultRules(), author, comment: 'default plan: one lane or more per EU member state' });
}
