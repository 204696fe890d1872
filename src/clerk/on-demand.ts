/**
 * Clerk's Astro integration, with two changes made at the integration level:
 *
 * 1. **No script injected into every page.** Stock `clerk()` adds a script to every page, static ones
 *    included, that downloads clerk-js and Clerk's UI for every visitor, and throws in the browser when
 *    no publishable key was set at build time. Gatepost loads Clerk's browser code only where it is needed
 *    (a signed-in reader's account menu, the sign-in/up and account pages) through
 *    `src/clerk/loader.ts`, which calls the same `runInjectionScript` from
 *    `@clerk/astro/internal` that the dropped scripts would have run.
 * 2. **No secrets inlined into the server build.** @clerk/astro reads variables with a dynamic
 *    `import.meta.env[name]`. Astro answers a dynamic read by inlining every private variable whose name
 *    appears in the module, so `CLERK_SECRET_KEY` present at build time ended up in `dist/server`. The
 *    Vite plugin below replaces those dynamic reads in Clerk's modules with an object of public values
 *    only; Clerk reads `process.env` first anyway, so secrets still come from the environment at run time.
 *    After the build, every file in the output is checked for the values of secret variables present at
 *    build time, and the build fails if one is found.
 *
 * Everything else the integration sets up is kept: the astro:env schema for Clerk's variables, the
 * virtual config module its components import, and the sign-in/up URL defines.
 */
import clerk from '@clerk/astro';
import type { AstroIntegration } from 'astro';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadEnv, type Plugin } from 'vite';
import { listFiles } from '../build/files';

type ClerkOptions = Parameters<typeof clerk>[0];

const BARE_IMPORT_META_ENV = /\bimport\.meta\.env\b(?!\.)/g;
const CLERK_MODULE = /[\\/]node_modules[\\/]@clerk[\\/]/;

export function clerkEnvWithoutSecrets(): Plugin {
  return {
    name: 'gatepost:clerk-env-without-secrets',
    enforce: 'pre',
    transform(code, id) {
      if (!CLERK_MODULE.test(id) || !code.includes('import.meta.env')) return undefined;
      if (!new RegExp(BARE_IMPORT_META_ENV.source).test(code)) return undefined;
      const names = new Set([
        'MODE',
        'DEV',
        'PROD',
        'SSR',
        'BASE_URL',
        ...(code.match(/\bPUBLIC_[A-Z0-9_]+\b/g) ?? []),
      ]);
      const publicOnly = `({${[...names].map((name) => `${name}: import.meta.env.${name}`).join(', ')}})`;
      return { code: code.replace(BARE_IMPORT_META_ENV, publicOnly), map: null };
    },
  };
}

/** Names of variables whose values must never be in a build artifact. */
export function secretNames(env: Record<string, string | undefined>): string[] {
  return Object.keys(env).filter(
    (name) =>
      !name.startsWith('PUBLIC_') &&
      /SECRET|JWT_KEY|PRIVATE|PASSWORD|TOKEN/i.test(name) &&
      (env[name]?.length ?? 0) >= 8,
  );
}

export default function clerkOnDemand(options?: ClerkOptions): AstroIntegration {
  const integration = clerk(options);
  const setup = integration.hooks['astro:config:setup'];
  let root = process.cwd();
  return {
    ...integration,
    name: 'gatepost/clerk-on-demand',
    hooks: {
      ...integration.hooks,
      'astro:config:setup': (params) => {
        root = fileURLToPath(params.config.root);
        params.updateConfig({ vite: { plugins: [clerkEnvWithoutSecrets()] } });
        return setup?.({
          ...params,
          injectScript: (stage, content) => {
            if (content.includes('runInjectionScript')) return;
            params.injectScript(stage, content);
          },
        });
      },
      'astro:build:done': ({ dir, logger }) => {
        const env = { ...loadEnv('production', root, ''), ...process.env };
        const secrets = secretNames(env);
        const outDir = fileURLToPath(new URL('../', dir));
        const found: string[] = [];
        // Searched as bytes: no text copy of every built file (a large site's build is hundreds of MB).
        const needles = secrets.map((name) => [name, Buffer.from(env[name]!)] as const);
        for (const file of needles.length ? listFiles(outDir) : []) {
          const bytes = readFileSync(file);
          for (const [name, needle] of needles) {
            if (bytes.includes(needle)) found.push(`${name} in ${relative(root, file)}`);
          }
        }
        if (found.length) {
          throw new Error(
            `Secret values were written into the build output: ${found.join(', ')}. Refusing to ship it.`,
          );
        }
        logger.info(`checked ${secrets.length} secret variable(s): none in the build output`);
      },
    },
  };
}
