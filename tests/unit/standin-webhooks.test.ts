/**
 * The stand-in's webhooks (packages/clerk-standin/src/webhooks): what changes in its instance reaches the
 * site as Clerk's signed events, verified here by Clerk's own `verifyWebhook`; retries keep the message
 * id; a refused event is not retried; nothing is lost while the site is not up yet.
 */
import { verifyWebhook } from '@clerk/backend/webhooks';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_PLANS, Instance, subscribe, WebhookSender } from '@gatepost/clerk-standin';
import { newSigningSecret } from '@gatepost/clerk-standin/webhooks';

interface Received {
  id: string;
  type: string;
  data: Record<string, unknown>;
}

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** A site that verifies each POST as Gatepost does, answering `statuses` in turn (then 200). */
async function site(secret: string, statuses: number[] = []) {
  const received: Received[] = [];
  const attempts: string[] = [];
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request = new Request('http://site/api/webhooks/clerk', {
        method: 'POST',
        headers: req.headers as Record<string, string>,
        body: Buffer.concat(chunks),
      });
      verifyWebhook(request, { signingSecret: secret }).then(
        (event) => {
          const id = req.headers['svix-id'] as string;
          attempts.push(id);
          const status = statuses.shift() ?? 200;
          if (status === 200)
            received.push({ id, type: event.type, data: event.data as unknown as Record<string, unknown> });
          res.writeHead(status).end();
        },
        () => res.writeHead(400).end('bad signature'),
      );
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/webhooks/clerk`;
  return { url, received, attempts };
}

function wired(secret: string, retryDelaysMs = [10, 10, 10]) {
  const instance = new Instance();
  const sender = new WebhookSender({ secret, retryDelaysMs });
  instance.onEvent((event) => sender.send(event));
  return { instance, sender };
}

describe('the stand-in’s webhooks', () => {
  it('sends Clerk’s events, signed, in order, for sign-ups, metadata, Billing and deletion', async () => {
    const secret = newSigningSecret();
    const target = await site(secret);
    const { instance, sender } = wired(secret);
    // Before the site is up: events wait.
    const account = instance.createAccount({ email: 'new@gatepost.test', publicMetadata: { tier: 'members' } });
    sender.setTarget(target.url);
    instance.updateMetadata(account.id, { tier: 'premium' });
    subscribe(
      instance,
      account,
      DEMO_PLANS.find((p) => p.slug === 'premium')!,
    );
    subscribe(
      instance,
      account,
      DEMO_PLANS.find((p) => p.isDefault)!,
    );
    instance.deleteAccount(account.id);
    await sender.idle();

    expect(target.received.map((e) => e.type)).toEqual([
      'user.created',
      'user.updated',
      'subscription.updated',
      'subscription.updated',
      'user.deleted',
    ]);
    const [created, updated, upgraded, cancelled, deleted] = target.received;
    expect(created!.data).toMatchObject({ id: account.id, public_metadata: { tier: 'members' } });
    expect(updated!.data).toMatchObject({ public_metadata: { tier: 'premium' } });
    expect(updated!.data.updated_at as number).toBeGreaterThan(created!.data.updated_at as number);
    expect(upgraded!.data).toMatchObject({
      payer: { user_id: account.id },
      items: [
        { status: 'active', plan: { slug: 'premium' } },
        { status: 'ended', plan: { slug: 'free_user' } },
      ],
    });
    expect(cancelled!.data).toMatchObject({
      items: [
        { status: 'active', plan: { slug: 'free_user' } },
        { status: 'ended', plan: { slug: 'premium' } },
      ],
    });
    expect(deleted!.data).toEqual({ object: 'user', id: account.id, deleted: true });
    expect(new Set(target.received.map((e) => e.id)).size).toBe(5);
    expect(sender.stats).toMatchObject({ delivered: 5, failed: 0, retries: 0, pending: 0 });
  });

  it('retries a 5xx with the same message id, and does not retry an event the site refused', async () => {
    const secret = newSigningSecret();
    const target = await site(secret, [503, 500, 200, 422]);
    const { instance, sender } = wired(secret);
    sender.setTarget(target.url);
    instance.createAccount({ email: 'retried@gatepost.test' });
    instance.createAccount({ email: 'refused@gatepost.test' });
    await sender.idle();
    expect(target.attempts).toHaveLength(4);
    expect(new Set(target.attempts.slice(0, 3)).size).toBe(1);
    expect(target.received).toHaveLength(1);
    expect(target.received[0]!.data).toMatchObject({
      email_addresses: [{ email_address: 'retried@gatepost.test' }],
    });
    expect(sender.stats).toMatchObject({ delivered: 1, failed: 1, retries: 2 });
  });

  it('gives up after its retries when the site stays down, and goes on with the next event', async () => {
    const secret = newSigningSecret();
    const target = await site(secret, [500, 500, 500, 500]);
    const { instance, sender } = wired(secret);
    sender.setTarget(target.url);
    instance.createAccount({ email: 'lost@gatepost.test' });
    instance.createAccount({ email: 'next@gatepost.test' });
    await sender.idle();
    expect(target.attempts).toHaveLength(5);
    expect(
      target.received.map((e) => (e.data.email_addresses as { email_address: string }[])[0]!.email_address),
    ).toEqual(['next@gatepost.test']);
    expect(sender.stats).toMatchObject({ delivered: 1, failed: 1, retries: 3 });
  });

  it('is refused by a site with another secret (the signature is real)', async () => {
    const target = await site(newSigningSecret());
    const { instance, sender } = wired(newSigningSecret(), []);
    sender.setTarget(target.url);
    instance.createAccount({ email: 'forged@gatepost.test' });
    await sender.idle();
    expect(target.received).toHaveLength(0);
    expect(sender.stats).toMatchObject({ delivered: 0, failed: 1 });
  });
});
