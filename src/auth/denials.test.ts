import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DenialRecorder, type Denial } from './denials.js';
import type { LedgerAppender } from './model.js';

/** A ledger that keeps entries in memory, parsed. */
class MemoryLedger implements LedgerAppender {
  readonly entries: Record<string, unknown>[] = [];
  failing = false;
  append(entry: Uint8Array): Promise<number> {
    if (this.failing) return Promise.reject(new Error('storage down'));
    this.entries.push(JSON.parse(Buffer.from(entry).toString('utf8')) as Record<string, unknown>);
    return Promise.resolve(this.entries.length - 1);
  }
}

const anonymous = (reason: Denial['reason'] = 'invalid-token'): Denial => ({ reason, route: '/x', method: 'GET', requestId: 'r' });
const identified: Denial = {
  reason: 'role-not-allowed',
  route: '/x',
  method: 'GET',
  requestId: 'r',
  principal: { id: 'p1', role: 'scanner', organisation: 'hub-operator', country: 'BE' },
  rolesAllowed: ['dpo'],
};

describe('DenialRecorder', () => {
  let clock = Date.parse('2026-03-01T10:00:00Z');
  beforeEach(() => {
    vi.useFakeTimers();
    clock = Date.parse('2026-03-01T10:00:00Z');
  });
  afterEach(() => vi.useRealTimers());

  it('writes the first perMinute denials one by one, in canonical JSON', async () => {
    const ledger = new MemoryLedger();
    const rec = new DenialRecorder(ledger, { perMinute: 3, now: () => clock });
    expect(await rec.record(anonymous())).toEqual({ index: 0, aggregated: false });
    expect(ledger.entries[0]).toEqual({ type: 'access-denied', reason: 'invalid-token', route: '/x', method: 'GET', requestId: 'r', time: '2026-03-01T10:00:00.000Z' });
  });

  it('counts the rest of the minute into one burst entry per flush interval, and each waits for it', async () => {
    const ledger = new MemoryLedger();
    const rec = new DenialRecorder(ledger, { perMinute: 2, burstFlushMs: 1000, now: () => clock });
    await rec.record(anonymous());
    await rec.record(anonymous());
    const waiting = [rec.record(anonymous()), rec.record(anonymous('missing-token')), rec.record(anonymous())];
    await vi.advanceTimersByTimeAsync(999);
    expect(ledger.entries).toHaveLength(2); // not yet: the counted requests are still waiting
    clock += 1000;
    const later = rec.record(anonymous());
    await vi.advanceTimersByTimeAsync(1);
    expect(await Promise.all(waiting)).toEqual(Array(3).fill({ index: 2, aggregated: true }));
    expect(ledger.entries[2]).toMatchObject({ type: 'access-denied-burst', count: 4, reasons: { 'invalid-token': 3, 'missing-token': 1 }, limit: 2 });
    expect(ledger.entries[2]).toMatchObject({ from: '2026-03-01T10:00:00.000Z', to: '2026-03-01T10:00:01.000Z' });
    expect(await later).toEqual({ index: 2, aggregated: true });
  });

  it('bounds growth: a long flood adds perMinute + one entry per flush interval', async () => {
    const ledger = new MemoryLedger();
    const rec = new DenialRecorder(ledger, { perMinute: 10, burstFlushMs: 5000, now: () => clock });
    const all: Promise<unknown>[] = [];
    for (let ms = 0; ms < 60_000; ms += 10) {
      clock = Date.parse('2026-03-01T10:00:00Z') + ms;
      all.push(rec.record(anonymous()));
      await vi.advanceTimersByTimeAsync(10);
    }
    await rec.close();
    await Promise.all(all);
    expect(ledger.entries.length).toBeLessThanOrEqual(10 + 12 + 1);
    const counted = ledger.entries.reduce((n, e) => n + (e['type'] === 'access-denied-burst' ? (e['count'] as number) : 1), 0);
    expect(counted).toBe(6000); // every denial is in the ledger, alone or counted
  });

  it('starts afresh each minute, and keeps identified denials apart from anonymous ones', async () => {
    const ledger = new MemoryLedger();
    const rec = new DenialRecorder(ledger, { perMinute: 1, burstFlushMs: 100, now: () => clock });
    await rec.record(anonymous());
    const counted = rec.record(anonymous());
    expect(await rec.record(identified)).toEqual({ index: 1, aggregated: false });
    expect(ledger.entries[1]).toMatchObject({ principal: { id: 'p1' }, rolesAllowed: ['dpo'] });
    clock += 60_000;
    expect(await rec.record(anonymous())).toEqual({ index: 2, aggregated: false });
    await vi.advanceTimersByTimeAsync(100);
    expect(await counted).toEqual({ index: 3, aggregated: true });
    expect(ledger.entries[3]).toMatchObject({ window: '2026-03-01T10:00:00.000Z', principalKnown: false });
  });

  it('flushes pending counts on close', async () => {
    const ledger = new MemoryLedger();
    const rec = new DenialRecorder(ledger, { perMinute: 0, burstFlushMs: 60_000, now: () => clock });
    const p = rec.record(anonymous());
    await rec.close();
    expect(await p).toEqual({ index: 0, aggregated: true });
  });

  it('fails the waiting requests when the ledger cannot record', async () => {
    const ledger = new MemoryLedger();
    ledger.failing = true;
    const rec = new DenialRecorder(ledger, { perMinute: 1, burstFlushMs: 10, now: () => clock });
    await expect(rec.record(anonymous())).rejects.toThrow('storage down');
    const counted = expect(rec.record(anonymous())).rejects.toThrow('storage down');
    await vi.advanceTimersByTimeAsync(10);
    await counted;
  });

  it('refuses nonsense limits', () => {
    expect(() => new DenialRecorder(new MemoryLedger(), { perMinute: -1 })).toThrow(RangeError);
    expect(() => new DenialRecorder(new MemoryLedger(), { burstFlushMs: 120_000 })).toThrow(RangeError);
  });
});
