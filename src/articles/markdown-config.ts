/**
 * Markdown settings shared by the build (astro.config.mjs) and the editor preview, which renders
 * drafts from source with Astro's own Markdown processor: previews look exactly like the published page.
 */
import type { ShikiConfig } from 'astro';
import { CODE_THEMES } from './code-themes';
import { headingAnchors } from './heading-anchors';

type ShikiTransformer = NonNullable<ShikiConfig['transformers']>[number];

/**
 * Shiki stops colouring a line after 500 ms by default and leaves the rest of it plain: on a busy build
 * machine the first lines of a language (while its grammar compiles) hit that, so the same article
 * built twice gave different HTML, and an incremental build (which keeps pages of unchanged articles)
 * differed from a cold one. A limit far above any honest line's time keeps the output a function of the
 * source while still stopping a runaway grammar.
 */
const TOKENIZE_TIME_LIMIT_MS = 20_000;
const steadyTokenizing: ShikiTransformer = {
  name: 'gatepost:steady-tokenizing',
  preprocess(code, options) {
    options.tokenizeTimeLimit = TOKENIZE_TIME_LIMIT_MS;
    return code;
  },
};

export const SHIKI_CONFIG = {
  // Two themes switched by CSS (see global.css) so code follows the reader's colour scheme; both meet
  // WCAG AA for every token colour (src/articles/code-themes.ts).
  themes: CODE_THEMES,
  wrap: false,
  transformers: [steadyTokenizing],
} satisfies Partial<ShikiConfig>;

/** Hast plugins for article Markdown, shared by the build and the editor preview. */
export const HAST_PLUGINS = [headingAnchors];
