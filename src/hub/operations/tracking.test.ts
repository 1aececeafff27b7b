import { describe, expect, it } from 'vitest';
import { STATUS_TEXT, STEP_TEXT } from './tracking.js';
import { tracking as consoleEnglish } from '../../../web/src/i18n/en.js';

// The console words statuses and steps itself (it translates them), so its English must stay the server's.
describe('public tracking texts', () => {
  it('are the same in English on the server and in the web console', () => {
    expect(consoleEnglish.status).toEqual(STATUS_TEXT);
    for (const [step, text] of Object.entries(STEP_TEXT)) expect(consoleEnglish.step[step as keyof typeof consoleEnglish.step], step).toBe(text);
  });
});
