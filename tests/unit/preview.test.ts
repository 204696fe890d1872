import { describe, expect, it } from 'vitest';
import { hasMarker, MEMBERS_ONLY_MARKER, splitAtMarker } from '../../src/lib/preview';

const html = `<p>Public opening.</p>\n<h2>Still public</h2>\n${MEMBERS_ONLY_MARKER}\n<p>Secret part.</p>\n<section class="footnotes"><p>Secret note.</p></section>`;

describe('splitAtMarker', () => {
  it('keeps only what precedes the marker in the preview', () => {
    const split = splitAtMarker(html);
    expect(split.hasMarker).toBe(true);
    expect(split.preview).toBe('<p>Public opening.</p>\n<h2>Still public</h2>');
    expect(split.preview).not.toContain('Secret');
    expect(split.membersOnly).toContain('<p>Secret part.</p>');
    expect(split.membersOnly).toContain('Secret note.');
  });

  it('fails closed without a marker: the preview is empty and everything is members-only', () => {
    const split = splitAtMarker('<p>Everything here is for members.</p>');
    expect(split).toEqual({ hasMarker: false, preview: '', membersOnly: '<p>Everything here is for members.</p>' });
  });

  it('splits at the first marker when there are several', () => {
    const split = splitAtMarker(`<p>A</p>${MEMBERS_ONLY_MARKER}<p>B</p>${MEMBERS_ONLY_MARKER}<p>C</p>`);
    expect(split.preview).toBe('<p>A</p>');
    expect(split.membersOnly).toContain('<p>B</p>');
    expect(split.membersOnly).toContain('<p>C</p>');
  });

  it.each(['<!--members-only-->', '<!--   MEMBERS-ONLY   -->', '<!--\n members-only\n-->'])(
    'tolerates spacing and case: %j',
    (marker) => {
      expect(splitAtMarker(`<p>A</p>${marker}<p>B</p>`)).toMatchObject({ hasMarker: true, preview: '<p>A</p>' });
    },
  );

  it.each([
    '<!-- members only -->',
    '<!-- member-only -->',
    '&lt;!-- members-only --&gt;',
    '<!-- members-only',
    'members-only',
  ])('does not accept a near miss %j (fails closed)', (almost) => {
    const split = splitAtMarker(`<p>A</p>${almost}<p>B</p>`);
    expect(split.hasMarker).toBe(false);
    expect(split.preview).toBe('');
    expect(hasMarker(`<p>A</p>${almost}`)).toBe(false);
  });

  it('gives an empty preview when the marker opens the article', () => {
    expect(splitAtMarker(`${MEMBERS_ONLY_MARKER}<p>B</p>`)).toMatchObject({ hasMarker: true, preview: '' });
  });
});
