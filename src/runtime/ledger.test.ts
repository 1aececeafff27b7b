import { describe, expect, it } from 'vitest';
import { batchingFromEnv } from './ledger.js';

describe('ledger batching from the environment', () => {
  it('reads the batch size and delay', () => {
    expect(batchingFromEnv({ GLASSHUB_LOG_MAX_BATCH: '500', GLASSHUB_LOG_MAX_DELAY_MS: '20' })).toEqual({ maxBatchSize: 500, maxDelayMs: 20 });
    expect(batchingFromEnv({})).toEqual({});
  });

  it('names the variable when a value is out of range', () => {
    expect(() => batchingFromEnv({ GLASSHUB_LOG_MAX_DELAY_MS: '5000' })).toThrow('GLASSHUB_LOG_MAX_DELAY_MS');
    expect(() => batchingFromEnv({ GLASSHUB_LOG_MAX_BATCH: 'lots' })).toThrow('GLASSHUB_LOG_MAX_BATCH');
  });
});
