/**
 * The code-highlighting themes, chosen so every token colour meets WCAG AA (4.5:1) on the code
 * background: GitHub's high-contrast light and dark themes. Shiki paints no token backgrounds, so a
 * foreground a theme picked to sit on its own background (e.g. white on red for `carriage-return`) is
 * dropped where it would be unreadable on the code background; such tokens take the default colour.
 */
import githubDarkHighContrast from '@shikijs/themes/github-dark-high-contrast';
import githubLightHighContrast from '@shikijs/themes/github-light-high-contrast';

type ThemeRegistration = typeof githubLightHighContrast;

/** WCAG AA for normal-size text. */
export const AA_CONTRAST = 4.5;

type Rgb = readonly [number, number, number];

function parseHex(hex: string): { rgb: Rgb; alpha: number } {
  let digits = hex.replace(/^#/, '');
  if (!/^([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/i.test(digits)) throw new Error(`not a hex colour: ${hex}`);
  if (digits.length <= 4) digits = [...digits].map((d) => d + d).join('');
  const byte = (i: number) => parseInt(digits.slice(i, i + 2), 16);
  return { rgb: [byte(0), byte(2), byte(4)], alpha: digits.length === 8 ? byte(6) / 255 : 1 };
}

function luminance([r, g, b]: Rgb): number {
  const channel = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

/** WCAG contrast ratio of a (possibly translucent) foreground drawn on an opaque background. */
export function contrastRatio(foreground: string, background: string): number {
  const fg = parseHex(foreground);
  const bg = parseHex(background).rgb;
  const drawn = fg.rgb.map((c, i) => c * fg.alpha + bg[i]! * (1 - fg.alpha)) as unknown as Rgb;
  const [light, dark] = [luminance(drawn), luminance(bg)].sort((a, b) => b - a) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** The background Shiki gives a code block in this theme. */
export function codeBackground(theme: ThemeRegistration): string {
  const bg = theme.colors?.['editor.background'] ?? theme.bg;
  if (!bg) throw new Error(`theme ${theme.name} has no background`);
  return bg;
}

/** Every text colour Shiki can print in this theme: the default foreground and each token colour. */
export function textColours(theme: ThemeRegistration): string[] {
  const fg = theme.colors?.['editor.foreground'] ?? theme.fg;
  const tokens = (theme.tokenColors ?? []).flatMap((entry) => entry.settings?.foreground ?? []);
  return [...new Set([...(fg ? [fg] : []), ...tokens])];
}

function readableOnCodeBackground(theme: ThemeRegistration): ThemeRegistration {
  const bg = codeBackground(theme);
  const tokenColors = (theme.tokenColors ?? []).map((entry) => {
    const { background, foreground, ...settings } = entry.settings ?? {};
    if (background === undefined || foreground === undefined) return entry;
    return contrastRatio(foreground, bg) >= AA_CONTRAST
      ? { ...entry, settings: { ...settings, foreground } }
      : { ...entry, settings };
  });
  // The default colours as Shiki's normalizeTheme would put them first when a theme has no entry
  // without a scope: there already, so Shiki does not add it to this array in place when it first
  // highlights. Astro hashes the config (themes included) for its incremental build; a theme changed by
  // highlighting made every build after an edit unable to restore any page.
  const foreground = theme.fg ?? theme.colors?.['editor.foreground'];
  const background = theme.bg ?? theme.colors?.['editor.background'];
  if (!foreground || !background) throw new Error(`theme ${theme.name} has no default colours`);
  const defaults = { settings: { foreground, background } };
  return { ...theme, tokenColors: tokenColors[0] && !tokenColors[0].scope ? tokenColors : [defaults, ...tokenColors] };
}

export const CODE_THEMES = {
  light: readableOnCodeBackground(githubLightHighContrast),
  dark: readableOnCodeBackground(githubDarkHighContrast),
} as const;
