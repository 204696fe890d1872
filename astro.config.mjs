// @ts-check
import { defineConfig, envField, fontProviders } from 'astro/config';
import node from '@astrojs/node';
import react from '@astrojs/react';
import tailwindcss from '@tailwindcss/vite';
import gatepost from './src/integration.ts';
import { LARGEST_POST_BODY_BYTES } from './src/server/methods.ts';
import { NUMBER_SETTINGS } from './src/server/number-settings.ts';
import { satteri } from '@astrojs/markdown-satteri';
import { HAST_PLUGINS, SHIKI_CONFIG } from './src/articles/markdown-config.ts';
import { loadEnv } from 'vite';

// Config files don't see .env by themselves; load it (all keys, not only PUBLIC_) for SITE_URL.
const env = { ...loadEnv(process.env.NODE_ENV ?? 'production', process.cwd(), ''), ...process.env };

// The public URL of the site, used for canonical links, RSS and the sitemap.
// Set SITE_URL when deploying; the default matches `npm start` on this machine.
const site = env.SITE_URL || 'http://localhost:4321';

export default defineConfig({
  site,
  // Static by default: every page is prerendered at build time unless it opts out with
  // `export const prerender = false` (member articles, account, sign-in/up, editor pages and the Clerk
  // config endpoint). Gatepost's server (src/server) serves both.
  output: 'static',
  // Astro's handler runs inside Gatepost's own server (src/server, `npm run serve`), which also serves
  // dist/client; bodies are limited there and here.
  adapter: node({ mode: 'middleware', bodySizeLimit: LARGEST_POST_BODY_BYTES }),
  // React islands are rendered to a string, not through a web stream: no island waits on data
  // (Suspense), and a stream per island (two per island: the renderer check renders one too) cost a
  // gated page more CPU than the rest of its rendering (docs/performance.md). Astro
  // passes no `useId` prefix to renderToString, so server-rendered islands must not call useId
  // (tests/unit/react-islands.test.ts).
  integrations: [react({ experimentalDisableStreaming: true }), gatepost()],
  // Every variable the site reads, declared once; .env.example explains each. In astro:env's terms `public` values are fixed
  // at build time and `secret` ones are read from the environment at run time, secret or not. Numbers
  // are whole numbers within NUMBER_SETTINGS' bounds (the server checks them at start).
  env: {
    schema: {
      SITE_URL: envField.string({ context: 'server', access: 'public', optional: true, url: true }),
      // Clerk's own names and kinds, as Clerk's Astro integration declares them (Gatepost does not run that
      // integration: src/clerk/integration.ts). The server reads the public ones at run time too
      // (src/clerk/client-settings.ts), so a site built before it had keys works once the server has them.
      PUBLIC_CLERK_PUBLISHABLE_KEY: envField.string({ context: 'client', access: 'public', optional: true }),
      PUBLIC_CLERK_SIGN_IN_URL: envField.string({ context: 'client', access: 'public', optional: true }),
      PUBLIC_CLERK_SIGN_UP_URL: envField.string({ context: 'client', access: 'public', optional: true }),
      PUBLIC_CLERK_PROXY_URL: envField.string({ context: 'client', access: 'public', optional: true, url: true }),
      PUBLIC_CLERK_DOMAIN: envField.string({ context: 'client', access: 'public', optional: true, url: true }),
      CLERK_SECRET_KEY: envField.string({ context: 'server', access: 'secret', optional: true }),
      CLERK_JWT_KEY: envField.string({ context: 'server', access: 'secret', optional: true }),
      PUBLIC_GATEPOST_BILLING: envField.boolean({ context: 'client', access: 'public', default: false }),
      PUBLIC_GATEPOST_DEMO_SIGNIN: envField.boolean({ context: 'client', access: 'public', default: false }),
      GATEPOST_AUTH_TIMEOUT_MS: envField.number({
        context: 'server',
        access: 'secret',
        optional: true,
        ...NUMBER_SETTINGS.GATEPOST_AUTH_TIMEOUT_MS,
      }),
      GATEPOST_CONTENT_DIR: envField.string({ context: 'server', access: 'secret', optional: true }),
      GATEPOST_AUTHORIZED_ORIGINS: envField.string({ context: 'server', access: 'secret', optional: true }),
      GATEPOST_PREMIUM_URL: envField.string({ context: 'server', access: 'secret', optional: true }),
      GATEPOST_PREMIUM_PRICE: envField.string({ context: 'server', access: 'secret', optional: true }),
      GATEPOST_PREMIUM_NOTE: envField.string({ context: 'server', access: 'secret', optional: true }),
      GATEPOST_GIFT_LINK_KEY: envField.string({ context: 'server', access: 'secret', optional: true }),
      GATEPOST_GIFT_LINK_DAYS: envField.number({
        context: 'server',
        access: 'secret',
        optional: true,
        ...NUMBER_SETTINGS.GATEPOST_GIFT_LINK_DAYS,
      }),
      GATEPOST_GIFT_LINK_SECONDS: envField.number({
        context: 'server',
        access: 'secret',
        optional: true,
        ...NUMBER_SETTINGS.GATEPOST_GIFT_LINK_SECONDS,
      }),
      // Clerk's webhooks into the members' store (src/members/webhooks.ts); without it the route is 404.
      CLERK_WEBHOOK_SIGNING_SECRET: envField.string({ context: 'server', access: 'secret', optional: true }),
      // The members' store (src/members/config.ts). The Gatepost server reads these at start and hands the
      // store to Astro; only `astro dev` opens it from Astro.
      DATABASE_URL: envField.string({ context: 'server', access: 'secret', optional: true }),
      GATEPOST_DATA_DIR: envField.string({ context: 'server', access: 'secret', optional: true }),
      GATEPOST_DATABASE_POOL_SIZE: envField.number({
        context: 'server',
        access: 'secret',
        optional: true,
        int: true,
        min: 1,
        max: 100,
      }),
      GATEPOST_MEMBERS_SYNC_MINUTES: envField.number({
        context: 'server',
        access: 'secret',
        optional: true,
        int: true,
        min: 0,
      }),
      // Newsletters (src/newsletters): the SMTP server that delivers them (without it nothing is sent) and
      // the key of the unsubscribe links (derived from CLERK_SECRET_KEY when unset).
      GATEPOST_SMTP_URL: envField.string({ context: 'server', access: 'secret', optional: true }),
      GATEPOST_NEWSLETTER_KEY: envField.string({ context: 'server', access: 'secret', optional: true }),
      // Private feeds (src/feeds): their tokens' key (derived from CLERK_SECRET_KEY when unset) and how many
      // distinct addresses a day may fetch one feed before editors see it flagged.
      GATEPOST_FEED_KEY: envField.string({ context: 'server', access: 'secret', optional: true }),
      GATEPOST_FEED_MAX_IPS_PER_DAY: envField.number({
        context: 'server',
        access: 'secret',
        optional: true,
        ...NUMBER_SETTINGS.GATEPOST_FEED_MAX_IPS_PER_DAY,
      }),
      // Social cards (src/social/settings.ts): where drawn cards are kept and how many may wait to be drawn.
      // The Gatepost server reads these at start and hands the card images to Astro; only `astro dev` reads
      // them from Astro.
      GATEPOST_CARD_CACHE_DIR: envField.string({ context: 'server', access: 'secret', optional: true }),
      GATEPOST_CARD_QUEUE_LIMIT: envField.number({
        context: 'server',
        access: 'secret',
        optional: true,
        ...NUMBER_SETTINGS.GATEPOST_CARD_QUEUE_LIMIT,
      }),
      // Set by the demo only (tools/demo.ts): where the stand-in lists the mail it caught, linked from the desk.
      GATEPOST_DEMO_MAIL_URL: envField.string({ context: 'server', access: 'secret', optional: true }),
    },
  },
  // The serif of article text and descriptions, self-hosted (no request to another origin): Source Serif 4
  // from its npm package, the Latin subset of the variable font (every weight in one woff2), shown with
  // `font-display: swap` over size-matched fallbacks and preloaded by BaseHead.astro. Other scripts fall
  // back to the system's serif.
  fonts: [
    {
      provider: fontProviders.local(),
      name: 'Source Serif 4',
      cssVariable: '--font-source-serif',
      fallbacks: ['Georgia', 'serif'],
      options: {
        variants: [
          {
            src: ['@fontsource-variable/source-serif-4/files/source-serif-4-latin-wght-normal.woff2'],
            weight: '200 900',
            style: 'normal',
          },
          {
            src: ['@fontsource-variable/source-serif-4/files/source-serif-4-latin-wght-italic.woff2'],
            weight: '200 900',
            style: 'italic',
          },
        ],
      },
    },
  ],
  // Inside the project rather than node_modules/.astro, so a copy of the project that links to this
  // node_modules (the build tests do that) keeps its own content cache.
  cacheDir: './.cache/astro',
  // Prerendered pages whose key and code are unchanged are copied from the previous build instead of
  // rendered again (keys: src/build/page-keys.ts; evaluation: docs/performance.md, "Publishing").
  experimental: { incrementalBuild: true },
  // Server-rendered pages (member articles) request their images from /_image at run time; this
  // endpoint refuses bad parameters with a 400 before Astro's own endpoint transforms the image.
  image: { endpoint: { route: '/_image', entrypoint: './src/images/endpoint.ts' } },
  trailingSlash: 'ignore',
  build: { format: 'directory' },
  markdown: {
    // Shared with the editor preview (src/editor/render-preview.ts).
    shikiConfig: SHIKI_CONFIG,
    processor: satteri({ hastPlugins: HAST_PLUGINS }),
  },
  vite: {
    plugins: [tailwindcss()],
    build: {
      // Source maps would carry the source of anything bundled for the browser; never ship them.
      sourcemap: false,
      // ES2022, as Clerk's Astro integration sets it (Gatepost does not run that integration). CSS follows
      // this target: colours are written as lab(), not oklch().
      target: 'es2022',
    },
  },
});
