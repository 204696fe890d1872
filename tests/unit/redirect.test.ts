import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalPath, slashRedirect } from '../../src/site/paths';
import { safeRedirectPath } from '../../src/site/redirect';
import { redirectCases } from '../support/redirect-cases';

const origin = 'https://gatepost.example';

describe('safeRedirectPath', () => {
  it.each([
    ['/members/deep-dive/', '/members/deep-dive/'],
    ['/members/deep-dive/?ref=mail#part-2', '/members/deep-dive/?ref=mail#part-2'],
    ['https://gatepost.example/account/', '/account/'],
    ['/%2e%2e/account/', '/account/'],
    ['/a/../members/x/', '/members/x/'],
    ['/members/%2F%2Fx/', '/members/%2F%2Fx/'],
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

  it.each([...redirectCases(origin), ...redirectCases('http://localhost:4321')])(
    'falls back to / for %j, whose normalised path would start with //',
    (raw) => {
      const site = raw.startsWith('http://localhost:4321') ? 'http://localhost:4321' : origin;
      expect(safeRedirectPath(raw, site)).toBe('/');
    },
  );

  it('uses the given fallback', () => {
    expect(safeRedirectPath('https://evil.example', origin, '/account/')).toBe('/account/');
    expect(safeRedirectPath('/.//evil.example', origin, '')).toBe('');
  });
});

describe('whatever comes in, what goes out stays on this origin (fast-check)', () => {
  const piece = fc.constantFrom(
    '/',
    '//',
    '\\',
    '/\\',
    '.',
    '..',
    '%2e',
    '%2E',
    '%2e%2e',
    '%2f',
    '%2F',
    '%5c',
    '%5C',
    '%252e',
    '%00',
    '%09',
    '\t',
    '\n',
    ' ',
    '?',
    '#',
    '@',
    ':',
    'evil.example',
    'gatepost.example',
    'localhost:4321',
    'members',
    'x',
    'https:',
    'http://',
    'javascript:',
  );
  const start = fc.constantFrom('', '/', '//', '/\\', `${origin}`, `${origin}/`, 'http://localhost:4321', 'https:');
  const raw = fc.tuple(start, fc.array(piece, { maxLength: 12 })).map(([head, rest]) => head + rest.join(''));

  it('never returns a path a browser could read as another host', () => {
    fc.assert(
      fc.property(raw, (input) => {
        const out = safeRedirectPath(input, origin);
        expect(out.startsWith('/'), JSON.stringify([input, out])).toBe(true);
        expect(/^\/[/\\]/.test(out), JSON.stringify([input, out])).toBe(false);
        expect(out.includes('\\'), JSON.stringify([input, out])).toBe(false);
        // Resolved as a browser resolves a Location header or location.assign() against this page.
        expect(new URL(out, `${origin}/pricing/`).origin, JSON.stringify([input, out])).toBe(origin);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 2000) },
    );
  });
});

describe('one address per page', () => {
  it('sends the server-rendered pages without their trailing slash to the address with it', () => {
    expect(slashRedirect('/pricing')).toBe('/pricing/');
    expect(slashRedirect('/search')).toBe('/search/');
    expect(slashRedirect('/editor')).toBe('/editor/');
  });

  it.each(['/pricing/', '/sign-in/factor-one', '/account/security', '/members/x', '//pricing', 'pricing', '/rss.xml'])(
    'leaves %s alone',
    (path) => expect(slashRedirect(path)).toBeNull(),
  );

  it('names the address with the slash as canonical, and files as they are', () => {
    expect(canonicalPath('/members/deep-dive')).toBe('/members/deep-dive/');
    expect(canonicalPath('/about/')).toBe('/about/');
    expect(canonicalPath('/')).toBe('/');
    expect(canonicalPath('/rss.xml')).toBe('/rss.xml');
  });
});
