import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeFlight, induct, receiveUld, type Hub } from '../operations/index.js';
import { flightsBoard } from './flights.js';
import { at, CONFIG, seedFlight, tracking } from '../../../test/hub/fixtures.js';
import { openTestStore, STORE_KINDS, type TestStore } from '../../../test/support/stores.js';

describe.each(STORE_KINDS)('flights board short-shipped count on %s', (kind) => {
  let store: TestStore;
  let hub: Hub;
  beforeEach(async () => {
    store = await openTestStore(kind);
    hub = { db: store.db, config: CONFIG };
  });
  afterEach(async () => {
    await store.cleanup();
  });

  it('counts, while the flight is open, only the unscanned parcels of received ULDs; all of them once closed', async () => {
    // AKE: 0, 2, 4; PMC: 1, 3, 5; 6 in no ULD.
    const flight = await seedFlight(store.db, { parcels: [...Array.from({ length: 6 }, () => ({ country: 'BE' })), { country: 'BE', uld: null }] });
    await receiveUld(hub, { flightId: flight.flightId, uld: 'AKE12345CK', time: at(0) });
    await induct(hub, flight.flightId, [tracking(0), tracking(3)]);
    const shortShipped = async () => (await flightsBoard(store.db, { limit: 10 }))[0]!.shortShipped;

    expect(await shortShipped()).toBe(2); // 2 and 4: PMC is not received yet, 6 has no ULD
    await closeFlight(hub, flight.flightId, at(60));
    expect(await shortShipped()).toBe(5); // 1, 2, 4, 5 and 6
  });
});
