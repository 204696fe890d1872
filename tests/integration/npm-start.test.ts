/**
 * What `npm start` (tools/start.ts) runs, against the real process (issue 11, point 2): the demo
 * sign-in only on a machine that is not production and has no Clerk keys anywhere Astro would read
 * them, and even then only for requests addressed to this machine, not forwarded by a proxy.
 *
 * Each case runs `node tools/start.ts` in a scratch copy of the project (so .env files written here
 * never touch the checkout's own), which builds first: these tests take a while.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '@gatepost/clerk-standin';
import { PROXY_HEADERS } from '@gatepost/clerk-standin/loopback-only';
import { publishedSourceArticles } from '../support/articles';
import { generateTestKeys, mintToken, readerClaims, serverEnv, sessionCookie } from '../support/clerk-session';
import { loadCanaries } from '../support/fixtures';
import { ROOT } from '../support/paths';
import { scratchCopy } from '../support/scratch';
import { freePort } from '../support/server';

const START_TIMEOUT = 300_000;
const premiumArticle = publishedSourceArticles().find((a) => a.access === 'premium')!;
const PREMIUM = `/members/${premiumArticle.slug}/`;
const canary = loadCanaries()[premiumArticle.slug]!;

/** The environment of a shell with nothing of Clerk, Vitest or Node's mode in it. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !/^(PUBLIC_)?CLERK_|^NODE_ENV$|^VITE_|^VITEST|^GATEPOST_|^SITE_URL$|^HOST$|^PORT$/.test(name),
    ),
  );
}

interface Started {
  child: ChildProcess;
  port: number;
  output: () => string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  waitFor: (pattern: RegExp, timeoutMs?: number) => Promise<RegExpMatchArray>;
  stop: () => Promise<void>;
}

const running: Started[] = [];
const scratches: string[] = [];

function scratchProject(files: Record<string, string> = {}): string {
  const dir = scratchCopy('gatepost-npm-start-');
  scratches.push(dir);
  cpSync(join(ROOT, 'tools'), join(dir, 'tools'), { recursive: true });
  // The demo build goes to the OS temp directory: keep it inside the scratch copy.
  mkdirSync(join(dir, 'tmp'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

async function npmStart(dir: string, env: Record<string, string> = {}): Promise<Started> {
  const port = await freePort();
  let log = '';
  // Its own process group, so whatever it started can be stopped with it if it misbehaves.
  const child = spawn(process.execPath, [join(dir, 'tools/start.ts')], {
    cwd: dir,
    env: {
      ...cleanEnv(),
      PORT: String(port),
      HOST: '127.0.0.1',
      TMPDIR: join(dir, 'tmp'),
      ASTRO_TELEMETRY_DISABLED: '1',
      NO_COLOR: '1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const listeners = new Set<() => void>();
  const append = (chunk: Buffer) => {
    log += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const started: Started = {
    child,
    port,
    output: () => log,
    exited,
    waitFor: (pattern, timeoutMs = START_TIMEOUT) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(log);
          if (!match) return;
          done();
          resolve(match);
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`npm start did not print ${pattern} within ${timeoutMs / 1000} s:\n${log}`));
        }, timeoutMs);
        const onExit = () => {
          setTimeout(() => {
            if (!pattern.test(log)) {
              done();
              reject(new Error(`npm start exited (${child.exitCode}) without printing ${pattern}:\n${log}`));
            }
          }, 50);
        };
        const done = () => {
          clearTimeout(timer);
          listeners.delete(check);
          child.off('exit', onExit);
        };
        listeners.add(check);
        child.once('exit', onExit);
        check();
      }),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => {
          try {
            process.kill(-child.pid!, 'SIGKILL');
          } catch {
            // already gone
          }
        }, 15_000);
        await exited;
        clearTimeout(timer);
      }
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // the group is gone: nothing left behind
      }
    },
  };
  running.push(started);
  return started;
}

afterAll(async () => {
  await Promise.all(running.map((started) => started.stop()));
  for (const dir of scratches) rmSync(dir, { recursive: true, force: true });
});

/** A raw HTTP request with exactly these headers (fetch would not let a test set Host). */
function raw(
  port: number,
  path: string,
  headers: Record<string, string>,
  options: { method?: string; body?: string } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers, setHost: false },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/**
 * Waits until this `npm start`'s own server answers `url`. The port was free when probed but another
 * suite's server may take it first: an answer counts only once this server has logged that it listens there.
 */
async function waitForHttp(url: string, started: Started): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT;
  const ownListen = `"Server listening at http://127.0.0.1:${started.port}"`;
  for (;;) {
    if (started.child.exitCode !== null) throw new Error(`npm start exited:\n${started.output()}`);
    try {
      if (started.output().includes(ownListen) && (await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`nothing answered ${url}:\n${started.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('npm start with NODE_ENV=production and no Clerk keys', () => {
  it(
    'runs the production server with sign-in off, never the demo, and says why in one line',
    async () => {
      const started = await npmStart(scratchProject(), { NODE_ENV: 'production' });
      const base = `http://127.0.0.1:${started.port}`;
      await waitForHttp(`${base}/robots.txt`, started);

      const notices = started.output().match(/^.*NODE_ENV=production.*$/gm) ?? [];
      expect(notices).toHaveLength(1);
      expect(notices[0]).toMatch(/^\[gatepost\] NODE_ENV=production: the local demo sign-in is never started/);
      expect(notices[0]).toContain('PUBLIC_CLERK_PUBLISHABLE_KEY');
      expect(started.output()).not.toContain('LOCAL DEMO SIGN-IN');
      expect(started.output()).not.toContain('No Clerk keys found');

      // Sign-in is off, and nothing of the stand-in answers: no Frontend API, no demo accounts.
      const config = await fetch(`${base}/api/clerk-config.json`);
      expect(await config.json()).toEqual({ enabled: false });
      expect((await fetch(`${base}/__clerk/v1/environment`)).status).toBe(404);
      const signIn = await raw(
        started.port,
        '/__clerk/v1/client/sign_ins',
        { host: `127.0.0.1:${started.port}`, 'content-type': 'application/x-www-form-urlencoded' },
        { method: 'POST', body: `identifier=editor%40gatepost.test&password=${DEMO_PASSWORD}` },
      );
      expect(signIn.status).toBeGreaterThanOrEqual(400);
      expect(signIn.status).toBeLessThan(500);
      expect(signIn.headers['set-cookie']).toBeUndefined();
      const article = await (await fetch(`${base}${PREMIUM}`)).text();
      expect(article).not.toContain(canary);
    },
    START_TIMEOUT + 60_000,
  );
});

describe('npm start with a Clerk key under a name Gatepost does not read', () => {
  for (const [name, where, use] of [
    ['CLERK_PUBLISHABLE_KEY', '.env', 'PUBLIC_CLERK_PUBLISHABLE_KEY'],
    ['CLERK_API_KEY', 'the environment', 'CLERK_SECRET_KEY'],
  ] as const) {
    it(`${name} (in ${where}): starts nothing, exits 1 and names ${use}`, async () => {
      const value = name === 'CLERK_API_KEY' ? 'sk_live_abc123' : `pk_live_${btoa('clerk.example.test$')}`;
      const dir = scratchProject(where === '.env' ? { '.env': `${name}=${value}\n` } : {});
      const started = await npmStart(dir, where === '.env' ? {} : { [name]: value });
      const code = await Promise.race([
        started.exited,
        new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), 60_000)),
      ]);
      expect(code, started.output()).toBe(1);
      expect(started.output()).toContain(`${name} (in ${where}) is not read by Gatepost: name it ${use}.`);
      expect(started.output()).not.toContain('demo sign-in…');
      await expect(fetch(`http://127.0.0.1:${started.port}/`)).rejects.toThrow();
    });
  }
});

describe('npm start with Clerk keys only in .env.production.local', () => {
  it(
    'runs the production server with those keys: a premium reader reads the full text, no demo',
    async () => {
      const keys = generateTestKeys();
      const env = { ...serverEnv(keys, 'http://127.0.0.1'), CLERK_JWT_KEY: keys.jwtKey.trim().replace(/\n/g, '\\n') };
      const file = Object.entries(env)
        .map(([name, value]) => `${name}="${value}"`)
        .join('\n');
      const started = await npmStart(scratchProject({ '.env.production.local': `${file}\n` }));
      const base = `http://127.0.0.1:${started.port}`;
      await waitForHttp(`${base}/robots.txt`, started);
      expect(started.output()).not.toContain('LOCAL DEMO SIGN-IN');
      expect(started.output()).not.toContain('No Clerk keys found');
      const config = await fetch(`${base}/api/clerk-config.json`);
      expect(await config.json()).toMatchObject({ enabled: true });
      const cookie = sessionCookie(mintToken(keys, readerClaims().premiumByMetadata));
      const html = await (await fetch(`${base}${PREMIUM}`, { headers: { cookie } })).text();
      expect(html).toContain(canary);
    },
    START_TIMEOUT + 60_000,
  );
});

describe('npm start without keys: the demo answers only this machine', () => {
  let demo: Started;
  let apiPort: number;

  beforeAll(async () => {
    // The demo's members sync (every minute) would add its own Backend API requests to the counts below.
    demo = await npmStart(scratchProject(), { GATEPOST_MEMBERS_SYNC_MINUTES: '0' });
    await demo.waitFor(/Gatepost is running at http:\/\/localhost:\d+/);
    apiPort = Number((await demo.waitFor(/curl -X POST http:\/\/127\.0\.0\.1:(\d+)\/__admin/))[1]);
  }, START_TIMEOUT + 60_000);

  const siteHost = () => `localhost:${demo.port}`;
  /** Every kind of thing the demo serves: pages, the stand-in's Frontend API, Backend API and admin API. */
  const endpoints = (): { port: number; path: string; method?: string; body?: string; loopback: number }[] => [
    { port: demo.port, path: '/', loopback: 200 },
    { port: demo.port, path: PREMIUM, loopback: 200 },
    { port: demo.port, path: '/sign-in/', loopback: 200 },
    { port: demo.port, path: '/__clerk/v1/environment', loopback: 200 },
    {
      port: demo.port,
      path: '/__clerk/v1/client/sign_ins',
      method: 'POST',
      body: `identifier=editor%40gatepost.test&password=${DEMO_PASSWORD}`,
      loopback: 200,
    },
    // Answered by the Backend API itself: 401, since this test does not hold the secret key.
    { port: apiPort, path: '/v1/users/user_standin_editor', loopback: 401 },
    { port: apiPort, path: '/__admin/stats', loopback: 200 },
    // The mail the demo's local SMTP server caught (newsletters).
    { port: apiPort, path: '/__mail/', loopback: 200 },
    {
      port: apiPort,
      path: '/__admin/users/user_standin_reader/metadata',
      method: 'POST',
      body: '{"public_metadata":{"tier":"premium"}}',
      loopback: 200,
    },
  ];
  const send = (endpoint: ReturnType<typeof endpoints>[number], headers: Record<string, string>) =>
    raw(
      endpoint.port,
      endpoint.path,
      {
        ...(endpoint.method === 'POST'
          ? {
              'content-type': endpoint.path.startsWith('/__admin')
                ? 'application/json'
                : 'application/x-www-form-urlencoded',
            }
          : {}),
        ...(endpoint.port === apiPort ? { authorization: 'Bearer sk_ignored' } : {}),
        ...headers,
      },
      { ...(endpoint.method ? { method: endpoint.method } : {}), ...(endpoint.body ? { body: endpoint.body } : {}) },
    );
  const stats = async () =>
    JSON.parse((await raw(apiPort, '/__admin/stats', { host: `127.0.0.1:${apiPort}` })).body) as {
      requests: number;
      signIns: number;
    };

  function expectRefused(
    answer: Awaited<ReturnType<typeof raw>>,
    status: number,
    label: string,
    mentions: string | RegExp,
  ) {
    expect(answer.status, label).toBe(status);
    expect(answer.headers['content-type'], label).toBe('text/plain; charset=utf-8');
    expect(answer.headers['set-cookie'], label).toBeUndefined();
    expect(answer.body.trimEnd().split('\n'), label).toHaveLength(1);
    expect(answer.body, label).toContain('local demo sign-in');
    expect(answer.body, label).toMatch(mentions);
  }

  it('a Host other than localhost, 127.0.0.1 or [::1] with the demo’s port: 421, on every endpoint, and nothing happens', async () => {
    const before = await stats();
    for (const endpoint of endpoints()) {
      for (const host of [
        'news.example.com',
        `news.example.com:${endpoint.port}`,
        `localhost:${endpoint.port + 1}`,
        '127.0.0.1',
      ]) {
        const label = `${endpoint.method ?? 'GET'} :${endpoint.port}${endpoint.path} Host ${host}`;
        expectRefused(await send(endpoint, { host }), 421, label, JSON.stringify(host));
      }
    }
    const after = await stats();
    // Only the stats call itself reached the stand-in: no sign-in, no handler ran.
    expect(after.signIns).toBe(before.signIns);
    expect(after.requests).toBe(before.requests + 1);
  });

  it('any proxy header (Forwarded, X-Forwarded-For, X-Forwarded-Host, X-Real-IP): 403, on every endpoint', async () => {
    const before = await stats();
    for (const endpoint of endpoints()) {
      for (const name of PROXY_HEADERS) {
        const host = endpoint.port === demo.port ? siteHost() : `127.0.0.1:${endpoint.port}`;
        const label = `${endpoint.method ?? 'GET'} :${endpoint.port}${endpoint.path} ${name}`;
        const value = name === 'forwarded' ? 'for=203.0.113.7;host=news.example.com;proto=https' : '203.0.113.7';
        expectRefused(await send(endpoint, { host, [name]: value }), 403, label, `(${name} header)`);
      }
    }
    const after = await stats();
    expect(after.signIns).toBe(before.signIns);
    expect(after.requests).toBe(before.requests + 1);
  });

  it('a sign-in from a page on another origin (a proxy that rewrites Host, as nginx does by default): 403', async () => {
    const [, , , , signIn] = endpoints();
    const answer = await send(signIn!, { host: `127.0.0.1:${demo.port}`, origin: 'https://news.example.com' });
    expectRefused(answer, 403, 'sign-in with a foreign Origin', '"https://news.example.com"');
  });

  it('the same requests addressed to this machine are answered (the refusals above are about the address alone)', async () => {
    for (const endpoint of endpoints()) {
      for (const name of ['localhost', '127.0.0.1', '[::1]']) {
        const host = `${name}:${endpoint.port}`;
        const answer = await send(endpoint, { host, origin: `http://${host}` });
        expect(answer.status, `${endpoint.method ?? 'GET'} :${endpoint.port}${endpoint.path} Host ${host}`).toBe(
          endpoint.loopback,
        );
      }
    }
  });
});

describe('npm start without keys on a port something else uses', () => {
  it(
    'exits 1 with one line naming that port and how to choose another',
    async () => {
      const blocker = createServer();
      await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
      const port = (blocker.address() as AddressInfo).port;
      try {
        const started = await npmStart(scratchProject(), { PORT: String(port) });
        const code = await Promise.race([
          started.exited,
          new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), START_TIMEOUT)),
        ]);
        expect(code, started.output()).toBe(1);
        expect(started.output()).toContain(
          `[gatepost] Could not start the demo: Port ${port} is in use. Stop what uses it, or run with PORT=<another port>.`,
        );
      } finally {
        blocker.close();
      }
    },
    START_TIMEOUT + 60_000,
  );
});
