/**
 * What a hub is configured with, and how its places and vehicles are named in EPCIS events:
 * the hub by its GLN, a point inside it (an induction belt, a sorter chute, a dock door, a storage cage)
 * by the GLN with a GLN extension (the Digital Link form of an SGLN), a truck by a URI under the hub's
 * own domain (trucks carry no GS1 key here).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../store/index.js';
import { glnLocation, HUB_ID_BASE, IdentifierError } from '../epcis/index.js';
import { OperationError } from './errors.js';

export interface HubConfig {
  /** The hub's GLN (13 digits): the bizLocation of every event here. */
  readonly gln: string;
  /** GS1 Company Prefix of the hub operator (6–12 digits): the SSCCs of bags are numbered under it. */
  readonly companyPrefix: string;
  /** SSCC extension digit (0–9) for bags. */
  readonly ssccExtension: number;
  /** IANA time zone of the hub: each event's `eventTimeZoneOffset` is the local offset at its time. */
  readonly timeZone: string;
  /** How the public tracking page names the hub. */
  readonly publicName: string;
}

/**
 * A demonstration configuration. 541 is a GS1 Belgium & Luxembourg prefix range; the company prefix and
 * the GLN under it are made up for the demo, not allocated: a real hub configures its own.
 */
export const DEMO_HUB_CONFIG: HubConfig = Object.freeze({
  gln: '5412345000013',
  companyPrefix: '5412345',
  ssccExtension: 0,
  timeZone: 'Europe/Brussels',
  publicName: 'glasshub Liège',
});

/** The configuration from `GLASSHUB_HUB_GLN`, `GLASSHUB_GS1_PREFIX`, `GLASSHUB_HUB_TZ`, demo values otherwise. */
export function hubConfigFromEnv(env: NodeJS.ProcessEnv = process.env): HubConfig {
  const config: HubConfig = {
    ...DEMO_HUB_CONFIG,
    ...(env['GLASSHUB_HUB_GLN'] !== undefined && { gln: env['GLASSHUB_HUB_GLN'] }),
    ...(env['GLASSHUB_GS1_PREFIX'] !== undefined && { companyPrefix: env['GLASSHUB_GS1_PREFIX'] }),
    ...(env['GLASSHUB_HUB_TZ'] !== undefined && { timeZone: env['GLASSHUB_HUB_TZ'] }),
  };
  glnLocation(config.gln); // throws on a bad GLN
  if (!/^\d{6,12}$/.test(config.companyPrefix)) throw new RangeError('GLASSHUB_GS1_PREFIX must be 6 to 12 digits');
  new Intl.DateTimeFormat('en', { timeZone: config.timeZone }); // throws on an unknown zone
  return config;
}

/** Whose data was erased, as the gate tells it (`Gate` implements this); see erased.ts. */
export interface ErasedRecipients {
  /** Of these vault references (`parcels.consignee_ref`), those whose person's data was erased; `db`: the caller's transaction. */
  erasedAmong(refs: readonly string[], db?: Kysely<Database>): Promise<ReadonlySet<string>>;
}

/** The hub and its database: what every operation works on. */
export interface Hub {
  readonly db: Kysely<Database>;
  readonly config: HubConfig;
  /**
   * Tells whose data was erased (the gate): sorting and dispatch keep such parcels from carriers. Absent: not
   * checked — only where nobody is ever erased (the simulator, tests of other steps).
   */
  readonly erasures?: ErasedRecipients;
}

export function hubLocation(config: HubConfig): string {
  return placeOf(config.gln, undefined);
}

/** A point inside the hub (`SORTER-1`, `DOCK-07`): 1–20 letters, digits or hyphens; `field`, where the input gave it. */
export function pointLocation(config: HubConfig, point: string, field?: string): string {
  try {
    return placeOf(config.gln, point);
  } catch (err) {
    if (err instanceof IdentifierError) {
      const reason = 'a point in the hub is 1 to 20 letters, digits or hyphens';
      throw new OperationError('INVALID', `location ${JSON.stringify(point)}: ${reason}`, field === undefined ? undefined : [{ field, value: point, reason }]);
    }
    throw err;
  }
}

/** Places already built, by GLN and point: every scan of a batch names the same few (only valid ones are kept). */
const places = new Map<string, string>();

function placeOf(gln: string, point: string | undefined): string {
  const key = point === undefined ? gln : `${gln}/${point}`;
  let place = places.get(key);
  if (place === undefined) {
    place = glnLocation(gln, point);
    if (places.size >= 1024) places.clear();
    places.set(key, place);
  }
  return place;
}

const TRUCK_ID = /^[A-Za-z0-9][A-Za-z0-9-]{0,31}$/;

/** The truck id, or INVALID naming `field` (where the input gave it). */
export function checkTruckId(id: string, field = 'truckId'): string {
  if (!TRUCK_ID.test(id)) {
    const reason = '1 to 32 letters, digits or hyphens';
    throw new OperationError('INVALID', `truck ${JSON.stringify(id)}: ${reason}`, [{ field, value: id, reason }]);
  }
  return id;
}

export function truckEpc(id: string): string {
  return `${HUB_ID_BASE}truck/${checkTruckId(id)}`;
}

const offsets = new Map<string, string>();

/** The UTC offset (`+01:00`) of the hub's zone at `time`, cached per zone and hour. */
export function localOffset(config: HubConfig, time: Date): string {
  const key = `${config.timeZone}@${Math.floor(time.getTime() / 3_600_000)}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    const name = new Intl.DateTimeFormat('en', { timeZone: config.timeZone, timeZoneName: 'longOffset' })
      .formatToParts(time)
      .find((p) => p.type === 'timeZoneName')?.value;
    offset = name === undefined || name === 'GMT' ? '+00:00' : name.replace('GMT', '');
    if (offsets.size > 10_000) offsets.clear();
    offsets.set(key, offset);
  }
  return offset;
}
