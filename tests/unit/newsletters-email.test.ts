/**
 * The newsletter email itself: one body per tier from the access decision (the premium part never in a
 * members-tier email), absolute links and images, personal links filled in per recipient and escaped,
 * both parts, and the unsubscribe token (genuine, tampered, other key, other newsletter).
 */
import { describe, expect, it } from 'vitest';
import { decideAccess } from '../../src/gate/decision';
import type { Viewer } from '../../src/gate/viewer';
import {
  absoluteUrls,
  composeEmail,
  MANAGE_PLACEHOLDER,
  personalise,
  UNSUBSCRIBE_PLACEHOLDER,
} from '../../src/newsletters/email';
import { createUnsubscribeToken, unsubscribeKeyFromEnv, verifyUnsubscribeToken } from '../../src/newsletters/token';
import { classifySmtpError, messageIdFor, readSmtpConfig } from '../../src/newsletters/transport';
import { NEWSLETTERS } from '../../src/site/newsletters';

const newsletter = NEWSLETTERS[0]!;
const SECRET_LINE = 'The premium-only marker phrase: seventeen purple lighthouses.';
const article = {
  title: 'Container <queries>',
  description: 'A description long enough.',
  url: 'https://gatepost.example/members/cq/',
};
const viewer = (tier: 'members' | 'premium'): Viewer => ({
  kind: 'member',
  userId: 'u',
  tier,
  roles: [],
  organization: null,
  sources: [],
  editor: false,
});

function emailFor(tier: 'members' | 'premium') {
  const decision = decideAccess(viewer(tier), { access: 'premium' });
  const body = decision.allowed
    ? { decision, html: `<p>Preview part.</p><p>${SECRET_LINE}</p>` }
    : {
        decision,
        previewHtml: '<p>Preview part.</p><img src="/images/cq.png" alt="A card">',
        upgradeUrl: 'https://gatepost.example/pricing/?return=%2Fmembers%2Fcq%2F',
      };
  return composeEmail({ article, newsletter, body, origin: 'https://gatepost.example', siteName: 'Gatepost' });
}

describe('newsletter emails per tier', () => {
  it('gives a premium article in full to premium members and only the preview, the paywall sentence and an upgrade link to members', () => {
    const premium = emailFor('premium');
    const members = emailFor('members');
    expect(premium.full).toBe(true);
    expect(premium.html).toContain(SECRET_LINE);
    expect(premium.text).toContain(SECRET_LINE);
    expect(members.full).toBe(false);
    expect(members.html).not.toContain('seventeen purple lighthouses');
    expect(members.text).not.toContain('seventeen purple lighthouses');
    expect(members.html).toContain('This article needs Premium');
    expect(members.html).toContain('href="https://gatepost.example/pricing/?return=%2Fmembers%2Fcq%2F"');
    expect(members.text).toContain('Upgrade to keep reading: https://gatepost.example/pricing/');
    // Relative images become absolute; the title is escaped.
    expect(members.html).toContain('src="https://gatepost.example/images/cq.png"');
    expect(members.html).toContain('Container &lt;queries&gt;');
    expect(members.html).toContain('prefers-color-scheme: dark');
  });

  it('fills in each recipient’s own links, escaped, in both parts', () => {
    const email = emailFor('members');
    expect(email.html).toContain(UNSUBSCRIBE_PLACEHOLDER);
    const own = personalise(email, {
      unsubscribeUrl: 'https://g.example/unsubscribe/u1.a&b/',
      manageUrl: 'https://g.example/account/#newsletters',
    });
    expect(own.html).not.toContain(UNSUBSCRIBE_PLACEHOLDER);
    expect(own.html).not.toContain(MANAGE_PLACEHOLDER);
    expect(own.html).toContain('href="https://g.example/unsubscribe/u1.a&amp;b/"');
    expect(own.text).toContain('Unsubscribe: https://g.example/unsubscribe/u1.a&b/');
  });

  it('makes root-relative URLs absolute and leaves others alone', () => {
    expect(
      absoluteUrls(
        '<a href="/x/">x</a><img src="//cdn.example/a.png" srcset="/a.png 1x, /b.png 2x">',
        'https://s.example',
      ),
    ).toBe(
      '<a href="https://s.example/x/">x</a><img src="//cdn.example/a.png" srcset="https://s.example/a.png 1x, https://s.example/b.png 2x">',
    );
  });
});

describe('unsubscribe tokens', () => {
  const key = (secret: string) => {
    const config = unsubscribeKeyFromEnv({ GATEPOST_NEWSLETTER_KEY: secret });
    if (!config.enabled) throw new Error(config.reason);
    return config.key;
  };
  const k = key('a'.repeat(40));

  it('name the member and newsletter they were made for, and nothing else verifies', () => {
    const token = createUnsubscribeToken(k, 'user_2abc', 'gatepost-weekly');
    expect(verifyUnsubscribeToken(k, token)).toEqual({ memberId: 'user_2abc', newsletter: 'gatepost-weekly' });
    expect(verifyUnsubscribeToken(key('b'.repeat(40)), token)).toBeNull();
    const [v, , mac] = token.split('.');
    const otherPayload = Buffer.from('user_other\ngatepost-weekly').toString('base64url');
    expect(verifyUnsubscribeToken(k, `${v}.${otherPayload}.${mac}`)).toBeNull();
    expect(verifyUnsubscribeToken(k, `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`)).toBeNull();
    expect(verifyUnsubscribeToken(k, 'u1..')).toBeNull();
    expect(verifyUnsubscribeToken(k, 'x'.repeat(5000))).toBeNull();
    expect(verifyUnsubscribeToken(k, undefined)).toBeNull();
  });

  it('use their own key: a short explicit key turns sending off, the Clerk key is only an HKDF input', () => {
    expect(unsubscribeKeyFromEnv({ GATEPOST_NEWSLETTER_KEY: 'short' })).toMatchObject({ enabled: false });
    expect(unsubscribeKeyFromEnv({})).toMatchObject({
      enabled: false,
      reason: expect.stringContaining('GATEPOST_NEWSLETTER_KEY'),
    });
    const fromClerk = unsubscribeKeyFromEnv({ CLERK_SECRET_KEY: 'sk_test_abc' });
    expect(fromClerk.enabled && fromClerk.key.bytes.toString()).not.toContain('sk_test_abc');
  });
});

describe('SMTP settings and errors', () => {
  it('reads GATEPOST_SMTP_URL without ever describing its password', () => {
    expect(readSmtpConfig({})).toMatchObject({ enabled: false });
    expect(readSmtpConfig({ GATEPOST_SMTP_URL: 'https://x' })).toMatchObject({ enabled: false });
    const config = readSmtpConfig({ GATEPOST_SMTP_URL: 'smtps://user:s3cret@smtp.example:465' });
    expect(config).toMatchObject({ enabled: true, description: 'smtps://smtp.example:465' });
  });

  it('suppresses on a permanent refusal of the address only, retries the rest', () => {
    expect(classifySmtpError({ responseCode: 550, command: 'RCPT TO' })).toBe('bounce');
    expect(classifySmtpError({ responseCode: 451, command: 'RCPT TO' })).toBe('retry');
    expect(classifySmtpError({ responseCode: 554, command: 'DATA' })).toBe('failed');
    expect(classifySmtpError({ responseCode: 535, command: 'AUTH PLAIN' })).toBe('retry');
    expect(classifySmtpError(new Error('ECONNRESET'))).toBe('retry');
  });

  it('gives a message the same Message-ID when it is sent again', () => {
    expect(messageIdFor('send1', 'user_1', 'n@gatepost.example')).toBe(
      messageIdFor('send1', 'user_1', 'n@gatepost.example'),
    );
    expect(messageIdFor('send1', 'user_2', 'n@gatepost.example')).not.toBe(
      messageIdFor('send1', 'user_1', 'n@gatepost.example'),
    );
  });
});
