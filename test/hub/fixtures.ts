/**
 * Hub test data written straight into the tables (as intake would leave them): a flight, its AWBs, ULDs
 * and parcels. Consignees are vault references only (`ref-<tracking>`): no personal data in hub tables.
 */
import type { Kysely } from 'kysely';
import { formatAwb, formatS10, postcodeExample } from '../../src/domain/index.js';
import type { DeliveryDisclosure, DeliveryDisclosureRequest, DeliveryRecipient, HubConfig } from '../../src/hub/operations/index.js';
import type { Database } from '../../src/store/index.js';
import type { ParcelStatus } from '../../src/store/schema.js';

export const CONFIG: HubConfig = {
  gln: '5412345000013',
  companyPrefix: '5412345',
  ssccExtension: 0,
  timeZone: 'Europe/Brussels',
  publicName: 'glasshub Liège',
};

export const T0 = new Date('2026-11-25T04:00:00.000Z');
export const at = (minutes: number): Date => new Date(T0.getTime() + minutes * 60_000);

export function tracking(i: number, series = 'LP'): string {
  return formatS10({ serviceIndicator: series, serial: String(i).padStart(8, '0'), country: 'CN' });
}

export interface SeedParcel {
  readonly country: string;
  readonly postcode?: string;
  readonly status?: ParcelStatus;
  readonly uld?: string | null;
}

export interface SeededFlight {
  readonly flightId: string;
  readonly ulds: readonly string[];
  readonly parcels: readonly string[];
}

/** A flight with `parcels` (tracking numbers `tracking(first + i)`) spread over its ULDs in order. */
export async function seedFlight(
  db: Kysely<Database>,
  options: { flightId?: string; ulds?: readonly string[]; parcels: readonly SeedParcel[]; first?: number },
): Promise<SeededFlight> {
  const flightId = options.flightId ?? 'CK231/2026-11-25';
  const ulds = options.ulds ?? ['AKE12345CK', 'PMC67890CK'];
  const created = T0.toISOString();
  const awb = formatAwb('112', String(options.first ?? 0).padStart(7, '0'));
  await db.insertInto('flights').values({ id: flightId, flight_number: flightId.split('/')[0]!, flight_date: '2026-11-25', status: 'expected', arrived_at: null, created_at: created }).execute();
  await db.insertInto('awbs').values({ awb, flight_id: flightId, created_at: created }).onConflict((oc) => oc.column('awb').doNothing()).execute();
  await db.insertInto('ulds').values(ulds.map((uld) => ({ flight_id: flightId, uld, status: 'expected' as const, received_at: null, created_at: created }))).execute();
  const tns: string[] = [];
  const rows = options.parcels.map((p, i) => {
    const tn = tracking((options.first ?? 0) + i);
    tns.push(tn);
    return {
      tracking_number: tn,
      flight_id: flightId,
      awb,
      uld: p.uld === undefined ? ulds[i % ulds.length]! : p.uld,
      seller_country: 'CN',
      dest_country: p.country,
      dest_postcode: p.postcode ?? postcodeExample(p.country) ?? '1000',
      gross_mass_g: 250,
      ioss_number: null,
      item_count: 1,
      consignee_ref: `ref-${tn}`,
      seller_ref: null,
      status: p.status ?? ('manifested' as const),
      lane: null,
      bag: null,
      storage_location: null,
      received_at: null,
      created_at: created,
      updated_at: created,
    };
  });
  for (let i = 0; i < rows.length; i += 500) await db.insertInto('parcels').values(rows.slice(i, i + 500)).execute();
  return { flightId, ulds, parcels: tns };
}

/** Events of the store, as stored, in capture order (for schema checks and assertions). */
export async function storedEvents(db: Kysely<Database>): Promise<Record<string, unknown>[]> {
  const rows = await db.selectFrom('epcis_events').select(['document']).orderBy('seq').execute();
  return rows.map((r) => JSON.parse(r.document) as Record<string, unknown>);
}

export async function statusOf(db: Kysely<Database>, tn: string): Promise<ParcelStatus | undefined> {
  return (await db.selectFrom('parcels').select('status').where('tracking_number', '=', tn).executeTakeFirst())?.status;
}

/** The gate's stand-in: records every request and answers synthetic data. */
export class RecordingDisclosure implements DeliveryDisclosure {
  readonly requests: DeliveryDisclosureRequest[] = [];
  deny = false;
  disclose(request: DeliveryDisclosureRequest): Promise<ReadonlyMap<string, DeliveryRecipient>> {
    this.requests.push(request);
    if (this.deny) return Promise.reject(new Error('denied by policy'));
    const shredded = request.refs.at(-1);
    return Promise.resolve(
      new Map(request.refs.filter((r) => r !== shredded).map((ref) => [ref, { name: `=Synthetic ${ref}`, street: '1 Test Street, "B"', postcode: '4000', city: 'Liège', country: 'BE', phone: '+32 4 000 00 00' }])),
    );
  }
}
