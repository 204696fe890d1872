import { describe, expect, it } from 'vitest';
import { safeRedirectPath } from '../../src/site/redirect';

const origin = 'https://gatepost.example';

describe('safeRedirectPath', () => {
  it.each([
    ['/members/deep-dive/', '/members/deep-dive/'],
    ['/members/deep-dive/?ref=mail#part-2', '/members/deep-dive/?ref=mail#part-2'],
    ['https://gatepost.example/account/', '/account/'],
    ['/%2e%2e/account/', '/account/'],
  ])('keeps same-origin %s', (raw, expected) => {
    expect(safeRedirectPath(raw, origin)).toBe(expected);
  });

  it.each([
    null,
    undefined,
    '',
    'https://evil.example/',
    'http://gatepost.example/', // other scheme = other origin
    '//evil.example/path',
    '/\\evil.example',
    '\\\\evil.example',
    'javascript:alert(1)',
    'data:text/html,hi',
    'members/relative',
    '/ok\u0000/../',
    '/line\nbreak',
    `/${'a'.repeat(3000)}`,
    '/sign-in/?redirect_url=/x',
    '/sign-up/',
  ])('falls back to / for %j', (raw) => {
    expect(safeRedirectPath(raw, origin)).toBe('/');
  });

  it('uses the given fallback', () => {
    expect(safeRedirectPath('https://evil.example', origin, '/account/')).toBe('/account/');
  });
});
