import { describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/result';
import { errorText, textFor } from './errorText';

describe('errorText', () => {
  it('says what happened and what to do for each code', () => {
    expect(textFor('AUTH_FAILED')).toMatch(/Sign in again/);
    expect(textFor('NETWORK')).toMatch(/Cannot reach the server.*retry/);
    expect(textFor('QUOTA')).toMatch(/out of storage space/);
  });

  it('keeps the message from main where it is the useful part', () => {
    expect(errorText(new ApiError({ code: 'FORBIDDEN_SENDER', message: 'This page has no valid access token.' }))).toBe(
      'This page has no valid access token.',
    );
    expect(errorText(new ApiError({ code: 'FORBIDDEN', message: 'The key lacks files:write.' }))).toMatch(
      /^The key lacks files:write\. The server refused/,
    );
    expect(errorText(new ApiError({ code: 'SERVER', message: 'HTTP 500 at /remote.php' }))).not.toContain('HTTP 500');
    expect(errorText(new Error('boom'))).toMatch(/inside Salvage/);
    // An interrupted batch's message says how far it got and what Resume does, once.
    const interrupted = 'Salvage was closed before this finished: 3 of 6 items had a result. Resume does the rest.';
    expect(textFor('INTERRUPTED', interrupted)).toBe(interrupted);
  });
});
