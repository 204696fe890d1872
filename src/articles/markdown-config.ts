/**
 * Markdown settings shared by the build (astro.config.mjs) and the editor preview, which renders
 * drafts from source with Astro's own Markdown processor: previews look exactly like the published page.
 */
import { CODE_THEMES } from './code-themes';
import { headingAnchors } from './heading-anchors';

export const SHIKI_CONFIG = {
  // Two themes switched by CSS (see global.css) so code follows the reader's colour scheme; both meet
  // WCAG AA for every token colour (src/articles/code-themes.ts).
  themes: CODE_THEMES,
  wrap: false,
} as const;

/** Hast plugins for article Markdown, shared by the build and the editor preview. */
export const HAST_PLUGINS = [headingAnchors];
