/** A fresh clone: built and started with no Clerk configuration at all. Nothing may answer 500. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishedSourceArticles } from '../support/articles';
import { startServer, type RunningServer } from '../support/server';
import { publishableKeyFor } from '@gatepost/clerk-standin/keys';

let server: RunningServer;
let logAtStart = '';
const clerkFree = Object.fromEntries(
  ['PUBLIC_CLERK_PUBLISHABLE_KEY', 'CLERK_SECRET_KEY', 'CLERK_JWT_KEY'].map((name) => [name, '']),
);

beforeAll(async () => {
  server = await startServer(clerkFree);
  // startServer only waited for /healthz, which never runs the middleware: this is start-up output.
  logAtStart = server.output();
});
afterAll(() => server?.stop());

const paths = () => {
  const articles = publishedSourceArticles();
  return [
    '/',
    '/articles/',
    '/about/',
    '/pricing/',
    '/rss.xml',
    '/sitemap.xml',
    '/sign-in/',
    '/sign-in/factor-one',
    '/sign-up/',
    '/account/',
    '/account/security',
    '/account/organization/',
    '/api/clerk-config.json',
    ...articles.map((a) => (a.access === 'public' ? `/articles/${a.slug}/` : `/members/${a.slug}/`)),
  ];
};

describe('without Clerk keys', () => {
  it('serves every page, server-rendered ones included, without a 5xx', async () => {
    for (const path of paths()) {
      const response = await fetch(`${server.url}${path}`, {
        redirect: 'manual',
        headers: { cookie: '__session=abc.def.ghi; __client_uat=1732000000' },
      });
      expect(response.status, path).toBe(200);
    }
  });

  it('says once, at start-up, that Clerk is not configured and how to fix it', () => {
    expect(logAtStart).toContain('[gatepost] Clerk is not configured');
    const warnings = server.output().match(/\[gatepost\] Clerk is not configured.*/g) ?? [];
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('PUBLIC_CLERK_PUBLISHABLE_KEY');
  });

  it('tells static pages that sign-in is off', async () => {
    const response = await fetch(`${server.url}/api/clerk-config.json`);
    expect(await response.json()).toEqual({ enabled: false });
    expect(response.headers.get('cache-control')).toBe('private, no-store');
  });

  it('tells the operator on /readyz, and readers nothing about keys', async () => {
    const readyz = (await (await fetch(`${server.url}/readyz`)).json()) as Record<string, unknown>;
    expect(readyz.clerk).toBe('not configured');
    expect(readyz.clerkMessage).toContain('PUBLIC_CLERK_PUBLISHABLE_KEY');
    const html = await (await fetch(`${server.url}/sign-in/`)).text();
    expect(html).toContain('data-clerk-missing');
    expect(html).not.toContain('CLERK_SECRET_KEY');
    expect(html).not.toContain('PUBLIC_CLERK_PUBLISHABLE_KEY');
  });
});

describe('with a malformed key', () => {
  it('names the variable once and keeps serving, everyone anonymous', async () => {
    const broken = await startServer({
      ...clerkFree,
      PUBLIC_CLERK_PUBLISHABLE_KEY: 'pk_live_nonsense',
      CLERK_SECRET_KEY: 'sk_live_x',
    });
    try {
      const article = publishedSourceArticles().find((a) => a.access === 'premium')!;
      const response = await fetch(`${broken.url}/members/${article.slug}/`);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('data-paywall="sign-in"');
      expect(broken.output().match(/\[gatepost\] error: PUBLIC_CLERK_PUBLISHABLE_KEY is malformed/g)).toHaveLength(1);
    } finally {
      await broken.stop();
    }
  });
});

describe('with a malformed CLERK_JWT_KEY', () => {
  it('reports one start-up error naming the variable, and serves everyone as signed out', async () => {
    const broken = await startServer({
      ...clerkFree,
      PUBLIC_CLERK_PUBLISHABLE_KEY: publishableKeyFor('clerk.example.test'),
      CLERK_SECRET_KEY: 'sk_live_abcdef',
      CLERK_JWT_KEY: 'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA (pasted without the PEM lines)',
    });
    try {
      expect(broken.output().match(/\[gatepost\] error: CLERK_JWT_KEY is malformed/g)).toHaveLength(1);
      const article = publishedSourceArticles().find((a) => a.access === 'members')!;
      const response = await fetch(`${broken.url}/members/${article.slug}/`);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('data-paywall="sign-in"');
    } finally {
      await broken.stop();
    }
  });
});
