import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEnv } from 'vite';
import { afterEach, describe, expect, it } from 'vitest';
import {
  effectiveEnv,
  envSources,
  hasClerkKeys,
  OTHER_CLERK_NAMES,
  planStart,
  type EnvSource,
} from '../../tools/start-mode';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'gatepost-start-mode-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const only = (vars: Record<string, string>): EnvSource[] => [{ name: 'the environment', vars }];

describe('hasClerkKeys', () => {
  it('is false with no key, or keys that are empty or blank', () => {
    expect(hasClerkKeys({})).toBe(false);
    expect(hasClerkKeys({ PUBLIC_CLERK_PUBLISHABLE_KEY: '', CLERK_SECRET_KEY: '   ', CLERK_JWT_KEY: undefined })).toBe(
      false,
    );
    expect(hasClerkKeys({ PORT: '4321', SITE_URL: 'https://example.com' })).toBe(false);
  });

  it.each(['PUBLIC_CLERK_PUBLISHABLE_KEY', 'CLERK_SECRET_KEY', 'CLERK_JWT_KEY'])(
    'is true with %s alone, even malformed (the site then reports it)',
    (name) => expect(hasClerkKeys({ [name]: 'not-a-real-key' })).toBe(true),
  );

  it('does not count Clerk keys under other names (planStart reports those)', () => {
    expect(hasClerkKeys({ CLERK_PUBLISHABLE_KEY: 'pk_live_x', CLERK_API_KEY: 'sk_live_x' })).toBe(false);
  });
});

describe('envSources and effectiveEnv', () => {
  const FILES = ['.env', '.env.local', '.env.production', '.env.production.local'] as const;

  it('agree with Vite (what `astro build` reads) for every combination of files', () => {
    for (let mask = 1; mask < 16; mask++) {
      const present = FILES.filter((_, index) => mask & (1 << index));
      const dir = project(Object.fromEntries(present.map((file) => [file, `GATEPOST_PRECEDENCE_TEST=${file}\n`])));
      const ours = effectiveEnv(envSources(dir, {})).GATEPOST_PRECEDENCE_TEST;
      expect(ours, present.join(' + ')).toBe(loadEnv('production', dir, '').GATEPOST_PRECEDENCE_TEST);
      expect(ours).toBe(present.at(-1));
    }
  });

  it('the process environment wins over every file', () => {
    const dir = project(Object.fromEntries(FILES.map((file) => [file, `CLERK_SECRET_KEY=${file}\n`])));
    expect(effectiveEnv(envSources(dir, { CLERK_SECRET_KEY: 'from-env' })).CLERK_SECRET_KEY).toBe('from-env');
  });

  it('ignores files Vite does not read in production (.env.development, .env.test)', () => {
    const dir = project({ '.env.development': 'CLERK_SECRET_KEY=sk_test_x\n', '.env.test': 'CLERK_JWT_KEY=x\n' });
    expect(hasClerkKeys(effectiveEnv(envSources(dir, {})))).toBe(false);
  });
});

describe('planStart', () => {
  it('no keys: the demo', () => {
    expect(planStart(only({}))).toEqual({ run: 'demo' });
    expect(planStart(only({ NODE_ENV: 'development' }))).toEqual({ run: 'demo' });
  });

  it.each(['.env', '.env.local', '.env.production', '.env.production.local'])(
    'a key in %s: the production server',
    (file) => {
      const dir = project({ [file]: 'PUBLIC_CLERK_PUBLISHABLE_KEY=pk_live_abc\n' });
      expect(planStart(envSources(dir, {}))).toEqual({ run: 'production' });
    },
  );

  it('a key in the environment: the production server', () => {
    expect(planStart(envSources(project({}), { CLERK_JWT_KEY: 'x' }))).toEqual({ run: 'production' });
  });

  it('NODE_ENV=production without keys: the production server, with one line saying why and how to set keys', () => {
    for (const sources of [
      only({ NODE_ENV: 'production' }),
      envSources(project({ '.env': 'NODE_ENV=production\n' }), {}),
    ]) {
      const plan = planStart(sources);
      expect(plan.run).toBe('production');
      const notice = plan.run === 'production' ? plan.notice : undefined;
      expect(notice).toMatch(/^\[gatepost\] NODE_ENV=production: the local demo sign-in is never started/);
      expect(notice).toContain('PUBLIC_CLERK_PUBLISHABLE_KEY');
      expect(notice).not.toContain('\n');
    }
  });

  it.each(Object.entries(OTHER_CLERK_NAMES))(
    'a key named %s: nothing starts, and the message says to name it %s',
    (other, ours) => {
      const dir = project({ '.env.local': `${other}=value\n` });
      for (const nodeEnv of [{}, { NODE_ENV: 'production' }]) {
        const plan = planStart(envSources(dir, nodeEnv));
        expect(plan.run).toBe('nothing');
        if (plan.run === 'nothing') {
          expect(plan.message).toContain(`${other} (in .env.local) is not read by Gatepost: name it ${ours}.`);
          expect(plan.message).not.toContain('\n');
        }
      }
    },
  );

  it('names where each misnamed key was found, the environment first', () => {
    const dir = project({ '.env': 'CLERK_API_KEY=sk_live_x\nCLERK_PUBLISHABLE_KEY=pk_live_x\n' });
    const plan = planStart(envSources(dir, { CLERK_PUBLISHABLE_KEY: 'pk_live_y' }));
    expect(plan).toMatchObject({ run: 'nothing' });
    if (plan.run === 'nothing') {
      expect(plan.message).toContain('CLERK_PUBLISHABLE_KEY (in the environment)');
      expect(plan.message).toContain('CLERK_API_KEY (in .env)');
    }
  });

  it('another name beside the one Gatepost reads is left alone (e.g. a shared .env of several apps)', () => {
    expect(
      planStart(
        only({ CLERK_PUBLISHABLE_KEY: 'pk_live_x', PUBLIC_CLERK_PUBLISHABLE_KEY: 'pk_live_x', CLERK_JWT_KEY: 'k' }),
      ),
    ).toEqual({ run: 'production' });
  });
});
