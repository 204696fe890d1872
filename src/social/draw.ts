/**
 * Draws a social card: satori lays the card out as SVG with the site's serif (shipped in the
 * `@fontsource/source-serif-4` package, no network), resvg turns it into a 1200×630 PNG.
 * Only package imports and `.ts` paths, so it also runs as it is in the drawing thread (./draw-worker.ts)
 * under `astro dev` and the tests; the server runs the thread's bundle (dist/server/card-worker.mjs).
 */
import { renderAsync } from '@resvg/resvg-js';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import satori from 'satori';
import type { CardContent } from './card.ts';
import { CARD_HEIGHT, CARD_WIDTH } from './size.ts';

const require = createRequire(import.meta.url);
const fontFile = (weight: 400 | 700) =>
  readFileSync(require.resolve(`@fontsource/source-serif-4/files/source-serif-4-latin-${weight}-normal.woff`));

let fonts: { name: string; data: Buffer; weight: 400 | 700; style: 'normal' }[] | undefined;
const loadFonts = () =>
  (fonts ??= [
    { name: 'Source Serif 4', data: fontFile(400), weight: 400, style: 'normal' },
    { name: 'Source Serif 4', data: fontFile(700), weight: 700, style: 'normal' },
  ]);

const COLORS = {
  paper: '#fbfaf7',
  ink: '#1c1917',
  muted: '#57534e',
  accent: '#0f6e56',
  gold: '#8a5a00',
  goldPaper: '#fdf3dc',
  accentPaper: '#e3f4ee',
};

type Node = { type: string; props: Record<string, unknown> & { children?: unknown } };
const el = (type: string, style: Record<string, unknown>, children?: unknown): Node => ({
  type,
  props: { style, ...(children === undefined ? {} : { children }) },
});

/** Shorter titles are set larger; a long one still fits in four lines. */
const titleSize = (title: string) => (title.length <= 50 ? 72 : title.length <= 90 ? 60 : 48);

/**
 * The title as one box per word, each kept on one line: a hyphenated word ("third-party") is never
 * broken at its hyphen, as on the site's headings (the font has no non-breaking hyphen to use instead).
 */
const words = (text: string, fontSize: number): Node[] =>
  text
    .split(/\s+/)
    .filter(Boolean)
    .map((word) =>
      el('div', { display: 'flex', whiteSpace: 'nowrap', marginRight: Math.round(fontSize * 0.25) }, word),
    );

const PADDING_X = 80;
const BAR = 14;

function layout(card: CardContent): Node {
  const badge = card.badge
    ? el(
        'div',
        {
          display: 'flex',
          fontSize: 28,
          fontWeight: 700,
          padding: '8px 22px',
          borderRadius: 999,
          color: card.badge.tone === 'gold' ? COLORS.gold : COLORS.accent,
          backgroundColor: card.badge.tone === 'gold' ? COLORS.goldPaper : COLORS.accentPaper,
        },
        card.badge.label,
      )
    : null;
  const width = CARD_WIDTH - 2 * PADDING_X;
  return el(
    'div',
    {
      width: CARD_WIDTH,
      height: CARD_HEIGHT,
      display: 'flex',
      flexDirection: 'column',
      backgroundColor: COLORS.paper,
      color: COLORS.ink,
      fontFamily: 'Source Serif 4',
    },
    [
      el(
        'div',
        {
          display: 'flex',
          flexDirection: 'column',
          width,
          height: CARD_HEIGHT - BAR - 64 - 52,
          marginTop: 64,
          marginLeft: PADDING_X,
        },
        [
          el('div', { display: 'flex', width, justifyContent: 'space-between', alignItems: 'center' }, [
            el('div', { display: 'flex', fontSize: 30, fontWeight: 700, color: COLORS.accent }, card.eyebrow),
            ...(badge ? [badge] : []),
          ]),
          el(
            'div',
            {
              display: 'flex',
              flexWrap: 'wrap',
              width,
              marginTop: 40,
              fontSize: titleSize(card.title),
              fontWeight: 700,
              lineHeight: 1.12,
            },
            words(card.title, titleSize(card.title)),
          ),
          el('div', { display: 'flex', flexGrow: 1 }),
          ...(card.tags.length
            ? [el('div', { display: 'flex', width, fontSize: 26, color: COLORS.muted }, card.tags.join('    '))]
            : []),
          el('div', { display: 'flex', width, marginTop: 12, fontSize: 30, color: COLORS.muted }, card.byline),
        ],
      ),
      el('div', { display: 'flex', flexGrow: 1 }),
      el('div', { display: 'flex', width: CARD_WIDTH, height: BAR, backgroundColor: COLORS.accent }),
    ],
  );
}

/** The card as a PNG, drawn now. */
export async function drawCard(card: CardContent): Promise<Buffer> {
  const svg = await satori(layout(card) as Parameters<typeof satori>[0], {
    width: CARD_WIDTH,
    height: CARD_HEIGHT,
    fonts: loadFonts(),
  });
  // On libuv's thread pool: the drawing thread's event loop goes on while a card is rasterised. The SVG is already
  // CARD_WIDTH wide: no `fitTo`, which costs a resampling pass for nothing.
  const image = await renderAsync(svg);
  return Buffer.from(image.asPng());
}
