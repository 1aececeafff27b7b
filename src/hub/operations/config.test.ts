import { describe, expect, it } from 'vitest';
import { DEMO_HUB_CONFIG, hubLocation, pointLocation } from './config.js';
import { OperationError } from './errors.js';

describe("the hub's places", () => {
  it('are the GLN Digital Link of the hub and of its points, the same when asked again', () => {
    const hub = hubLocation(DEMO_HUB_CONFIG);
    expect(hub).toBe(`https://id.gs1.org/414/${DEMO_HUB_CONFIG.gln}`);
    expect(hubLocation(DEMO_HUB_CONFIG)).toBe(hub);
    expect(pointLocation(DEMO_HUB_CONFIG, 'SORTER-1')).toBe(`${hub}/254/SORTER-1`);
    expect(pointLocation(DEMO_HUB_CONFIG, 'SORTER-1')).toBe(`${hub}/254/SORTER-1`);
    expect(pointLocation(DEMO_HUB_CONFIG, '0')).toBe(hub);
  });

  it('refuse a bad point every time, also once the hub itself is known', () => {
    hubLocation(DEMO_HUB_CONFIG);
    for (const point of ['', 'DOCK 7', 'X'.repeat(21), '', 'DOCK 7']) {
      expect(() => pointLocation(DEMO_HUB_CONFIG, point)).toThrow(OperationError);
    }
    expect(() => pointLocation({ ...DEMO_HUB_CONFIG, gln: '5412345000014' }, 'SORTER-1')).toThrow(OperationError); // a wrong check digit
  });
});
