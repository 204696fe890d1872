/**
 * Two small additions to the built server entry (dist/server/entry.mjs):
 *
 * 1. It imports `production-env.mjs` first, which sets NODE_ENV=production unless the environment
 *    chose otherwise. React (and other libraries) pick their development or production build from
 *    NODE_ENV when they load; without it, `node dist/server/entry.mjs` rendered with React's slower
 *    development build.
 * 2. Astro loads the middleware module lazily, on the first server-rendered request. Gatepost's middleware
 * checks the Clerk configuration when it loads, so a server started without keys (or with a broken key)
 * would only say so once someone visits a member page. This appends one line to the built server entry
 * that loads the middleware right after the server starts, so the warning appears at start-up.
 */
import type { AstroIntegration } from 'astro';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export default function loadMiddlewareAtStart(): AstroIntegration {
  let serverDir: URL | undefined;
  return {
    name: 'gatepost/load-middleware-at-start',
    hooks: {
      'astro:config:done': ({ config }) => {
        serverDir = config.build.server;
      },
      'astro:build:done': ({ logger }) => {
        if (!serverDir) return;
        const entry = fileURLToPath(new URL('entry.mjs', serverDir));
        if (!existsSync(entry) || !existsSync(fileURLToPath(new URL('virtual_astro_middleware.mjs', serverDir)))) {
          logger.warn('server entry or middleware not found; configuration is checked on the first request instead');
          return;
        }
        writeFileSync(
          fileURLToPath(new URL('production-env.mjs', serverDir)),
          "// Added by gatepost/load-middleware-at-start: run as production unless told otherwise.\nprocess.env.NODE_ENV ??= 'production';\n",
        );
        // Static imports run in order, so this one runs before React is loaded.
        writeFileSync(entry, `import './production-env.mjs';\n${readFileSync(entry, 'utf8')}`);
        appendFileSync(
          entry,
          '\n// Added by gatepost/load-middleware-at-start\nglobalThis.__gatepostServerStart = true;\nawait import("./virtual_astro_middleware.mjs");\n',
        );
      },
    },
  };
}
