/**
 * Issue 11, probe finding 6: every colour Shiki can print in the site's code themes meets WCAG AA
 * (4.5:1) on the code block's background, in light and dark.
 */
import { describe, expect, it } from 'vitest';
import { AA_CONTRAST, codeBackground, contrastRatio, textColours } from '../../src/articles/code-themes';
import { SHIKI_CONFIG } from '../../src/articles/markdown-config';

describe('contrastRatio', () => {
  it('matches WCAG reference values', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#ffffff', '#ffffff')).toBeCloseTo(1, 5);
    // The colour the probe found: github-light's orange on white.
    expect(contrastRatio('#e36209', '#fff')).toBeCloseTo(3.49, 2);
    // Translucent colours are measured as drawn on the background.
    expect(contrastRatio('#00000080', '#ffffff')).toBeCloseTo(contrastRatio('#7f7f7f', '#ffffff'), 2);
  });
});

for (const [scheme, theme] of Object.entries(SHIKI_CONFIG.themes)) {
  describe(`${scheme} code theme (${theme.name})`, () => {
    const background = codeBackground(theme);
    const colours = textColours(theme);

    it('has token colours to check', () => {
      expect(colours.length).toBeGreaterThan(5);
    });

    it(`prints every token colour at ${AA_CONTRAST}:1 or more on ${background}`, () => {
      const failing = colours
        .map((colour) => ({ colour, ratio: Number(contrastRatio(colour, background).toFixed(2)) }))
        .filter(({ ratio }) => ratio < AA_CONTRAST);
      expect(failing).toEqual([]);
    });
  });
}
