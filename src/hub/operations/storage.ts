/**
 * Temporary storage in the hub (cages, racks): `storeParcel` (bizStep `storing`) puts a parcel at a
 * storage location, `retrieveParcel` (bizStep `removing`) takes it out. A stored parcel's status is
 * `stored`, except a parcel on customs hold, which keeps `held` / `seized` (the hold is what matters; its
 * location says where it waits). Retrieved, a `stored` parcel is `received` again: it goes back to sorting.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../store/index.js';
import type { ParcelStatus } from '../../store/schema.js';
import { objectEvent, s10Epc } from '../epcis/index.js';
import { recordEvents } from '../events/index.js';
import { hubLocation, localOffset, pointLocation, type Hub } from './config.js';
import { details, OperationError } from './errors.js';
import { requireParcels, requireStatus, requireTracking, updateParcels } from './parcels.js';

const STORABLE: readonly ParcelStatus[] = ['received', 'sorted', 'exception', 'held', 'seized', 'stored'];
const HOLDS: readonly ParcelStatus[] = ['held', 'seized'];

export interface StorageResult {
  readonly trackingNumber: string;
  readonly location: string | null;
  readonly status: ParcelStatus;
  readonly eventID: string;
}

/** Defines storage locations (ids are points in the hub: 1–20 letters, digits, hyphens); existing ones are kept. */
export async function defineStorageLocations(db: Kysely<Database>, locations: readonly { id: string; description: string }[], hubConfig: Hub['config']): Promise<void> {
  for (const [i, l] of locations.entries()) pointLocation(hubConfig, l.id, `locations.${i}.id`);
  if (locations.length === 0) return;
  const at = new Date().toISOString();
  await db.insertInto('storage_locations').values(locations.map((l) => ({ ...l, created_at: at }))).onConflict((oc) => oc.column('id').doNothing()).execute();
}

export async function storeParcel(hub: Hub, input: { trackingNumber: string; location: string; time?: Date }): Promise<StorageResult> {
  const item = requireTracking([{ field: 'trackingNumber', value: input.trackingNumber }])[0]!;
  const tn = item.value;
  const time = input.time ?? new Date();
  return hub.db.transaction().execute(async (tx) => {
    const location = await tx.selectFrom('storage_locations').select('id').where('id', '=', input.location).executeTakeFirst();
    if (!location) throw new OperationError('NOT_FOUND', `storage location ${JSON.stringify(input.location)} does not exist`, details([{ field: 'location', value: input.location }], 'unknown storage location'));
    const parcels = await requireParcels(tx, [item]);
    requireStatus([item], parcels, STORABLE, 'stored');
    const parcel = parcels.get(tn)!;
    if (parcel.storage_location === location.id) throw new OperationError('CONFLICT', `parcel ${tn} is already stored at ${location.id}`, details([{ field: 'location', value: location.id }], 'the parcel is stored here already'));
    const status: ParcelStatus = HOLDS.includes(parcel.status) ? parcel.status : 'stored';
    const place = pointLocation(hub.config, location.id);
    const event = objectEvent({
      action: 'OBSERVE',
      bizStep: 'storing',
      disposition: HOLDS.includes(status) ? 'non_sellable_other' : 'in_progress',
      readPoint: place,
      bizLocation: place,
      eventTime: time,
      eventTimeZoneOffset: localOffset(hub.config, time),
      epcList: [s10Epc(tn)],
    });
    await updateParcels(tx, [tn], { status, storage_location: location.id, updated_at: time.toISOString() });
    await recordEvents(tx, [event]);
    return { trackingNumber: tn, location: location.id, status, eventID: event.eventID };
  });
}

export async function retrieveParcel(hub: Hub, input: { trackingNumber: string; time?: Date }): Promise<StorageResult> {
  const item = requireTracking([{ field: 'trackingNumber', value: input.trackingNumber }])[0]!;
  const tn = item.value;
  const time = input.time ?? new Date();
  return hub.db.transaction().execute(async (tx) => {
    const parcel = (await requireParcels(tx, [item])).get(tn)!;
    if (parcel.storage_location === null) throw new OperationError('CONFLICT', `parcel ${tn} is not in storage`, details([item], 'not in storage'));
    const status: ParcelStatus = parcel.status === 'stored' ? 'received' : parcel.status;
    const event = objectEvent({
      action: 'OBSERVE',
      bizStep: 'removing',
      readPoint: pointLocation(hub.config, parcel.storage_location),
      bizLocation: hubLocation(hub.config),
      eventTime: time,
      eventTimeZoneOffset: localOffset(hub.config, time),
      epcList: [s10Epc(tn)],
    });
    await updateParcels(tx, [tn], { status, storage_location: null, updated_at: time.toISOString() });
    await recordEvents(tx, [event]);
    return { trackingNumber: tn, location: null, status, eventID: event.eventID };
  });
}
