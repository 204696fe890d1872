/**
 * The stand-in's Frontend API for the member journey, over HTTP as clerk-js calls it (form bodies,
 * `_method`, the `__client` cookie): sign-up with an email code, and organizations (memberships,
 * invitations, switching). Clerk's UI on top of these is covered by tests/e2e/standin-signup.spec.ts
 * and standin-teams.spec.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { banner, type DemoSite } from '../../tools/demo.ts';
import { startStandin, type Standin } from '@gatepost/clerk-standin';
import { decodePayload } from '../support/clerk-session';
import { fapiBrowser, fapiSignIn, type FapiAnswer } from '../support/fapi-client';

let standin: Standin;
beforeAll(async () => {
  standin = await startStandin({ publicHost: '127.0.0.1' });
});
afterAll(() => standin?.stop());

type Answer = FapiAnswer;

/** One browser on the stand-in's front door. */
const browser = () => fapiBrowser(standin.origin);

const email = (label: string) => `${label}-${Date.now().toString(36)}+clerk_test@example.com`;

describe('sign-up with an email code (test mode: 424242)', () => {
  it('is announced in the terminal banner, with the seeded organization admin', () => {
    const text = banner({ standin } as DemoSite);
    expect(text).toMatch(/the code\s+424242 /);
    expect(text).toContain('owner@gatepost.test');
  });

  it('creates a members account, signs it in and keeps the sign-up on the client', async () => {
    const fapi = browser();
    const address = email('new');
    const created = await fapi('POST', '/client/sign_ups', { email_address: address, password: 'a-long-password' });
    expect(created.status).toBe(200);
    expect(created.body.response).toMatchObject({
      object: 'sign_up',
      status: 'missing_requirements',
      unverified_fields: ['email_address'],
      missing_fields: [],
    });
    // Every client clerk-js receives carries the sign-up (a null one sends the UI back to the start).
    expect(created.body.client?.sign_up).toMatchObject({ id: created.body.response!.id });
    const id = created.body.response!.id as string;

    const prepared = await fapi('POST', `/client/sign_ups/${id}/prepare_verification`, { strategy: 'email_code' });
    expect(prepared.body.response).toMatchObject({
      verifications: { email_address: { status: 'unverified', strategy: 'email_code' } },
    });

    const wrong = await fapi('POST', `/client/sign_ups/${id}/attempt_verification`, {
      strategy: 'email_code',
      code: '123456',
    });
    expect(wrong.status).toBe(422);
    expect(wrong.body.errors?.[0]).toMatchObject({ code: 'form_code_incorrect', meta: { param_name: 'code' } });
    expect(standin.instance.findByEmail(address)).toBeUndefined();
    expect((await fapi('GET', '/client')).body.response).toMatchObject({ sessions: [] });

    const done = await fapi('POST', `/client/sign_ups/${id}/attempt_verification`, {
      strategy: 'email_code',
      code: '424242',
    });
    expect(done.status).toBe(200);
    expect(done.body.response).toMatchObject({ status: 'complete', unverified_fields: [] });
    const sessionId = done.body.response!.created_session_id as string;
    expect(done.body.client).toMatchObject({
      last_active_session_id: sessionId,
      sign_up: { status: 'complete' },
    });
    const account = standin.instance.findByEmail(address)!;
    expect(account.publicMetadata).toEqual({ tier: 'members' });

    const token = await fapi('POST', `/client/sessions/${sessionId}/tokens`, {});
    expect(decodePayload(token.body.jwt!)).toMatchObject({ sub: account.id, metadata: { tier: 'members' } });
    // The new password signs in too.
    expect(standin.instance.checkPassword(account, 'a-long-password')).toBe(true);
  });

  it("refuses a taken address, a short password, and another browser's sign-up", async () => {
    const fapi = browser();
    const taken = await fapi('POST', '/client/sign_ups', {
      email_address: 'premium@gatepost.test',
      password: 'long-enough',
    });
    expect(taken.status).toBe(422);
    expect(taken.body.errors?.[0]).toMatchObject({
      code: 'form_identifier_exists',
      meta: { param_name: 'email_address' },
    });
    const short = await fapi('POST', '/client/sign_ups', { email_address: email('short'), password: 'short' });
    expect(short.body.errors?.[0]).toMatchObject({ code: 'form_password_length_too_short' });

    const mine = await fapi('POST', '/client/sign_ups', { email_address: email('mine'), password: 'long-enough' });
    const other = browser();
    const stolen = await other('POST', `/client/sign_ups/${mine.body.response!.id as string}/attempt_verification`, {
      strategy: 'email_code',
      code: '424242',
    });
    expect(stolen.status).toBe(404);
  });

  it('stops accepting codes after five wrong ones', async () => {
    const fapi = browser();
    const address = email('guess');
    const id = (await fapi('POST', '/client/sign_ups', { email_address: address, password: 'long-enough' })).body
      .response!.id as string;
    await fapi('POST', `/client/sign_ups/${id}/prepare_verification`, { strategy: 'email_code' });
    for (let i = 0; i < 5; i += 1) {
      await fapi('POST', `/client/sign_ups/${id}/attempt_verification`, { strategy: 'email_code', code: '000000' });
    }
    const late = await fapi('POST', `/client/sign_ups/${id}/attempt_verification`, {
      strategy: 'email_code',
      code: '424242',
    });
    expect(late.body.errors?.[0]?.code).toBe('verification_failed');
    expect(standin.instance.findByEmail(address)).toBeUndefined();
  });
});

describe('organizations', () => {
  const signIn = (address: string) => fapiSignIn(standin.origin, address);

  it('starts sessions with no active organization; touch switches, and the token follows', async () => {
    const { fapi, sessionId } = await signIn('team@gatepost.test');
    const client = (await fapi('GET', '/client')).body.response as unknown as Answer['body']['client'];
    expect(client!.sessions[0]!.last_active_organization_id).toBeNull();
    expect(decodePayload((await fapi('POST', `/client/sessions/${sessionId}/tokens`, {})).body.jwt!).o).toBeUndefined();

    const touched = await fapi('POST', `/client/sessions/${sessionId}/touch`, {
      active_organization_id: 'org_standin_acme',
      intent: 'select_org',
    });
    expect(touched.body.response).toMatchObject({ last_active_organization_id: 'org_standin_acme' });
    expect(touched.body.client!.sessions[0]!.last_active_organization_id).toBe('org_standin_acme');
    const token = await fapi('POST', `/client/sessions/${sessionId}/tokens`, { organization_id: 'org_standin_acme' });
    expect(decodePayload(token.body.jwt!)).toMatchObject({
      o: { id: 'org_standin_acme', rol: 'member' },
      pla: 'o:team',
    });
  });

  it("answers the switcher's lists in Clerk's paginated envelope", async () => {
    const { fapi } = await signIn('team@gatepost.test');
    for (const path of ['/me/organization_invitations?status=pending', '/me/organization_suggestions?status=pending']) {
      expect((await fapi('GET', path)).body.response).toEqual({ data: [], total_count: 0 });
    }
    const memberships = await fapi('GET', '/me/organization_memberships?paginated=true&limit=10&offset=0');
    expect(memberships.body.response).toMatchObject({
      total_count: 1,
      data: [
        { organization: { id: 'org_standin_acme' }, role: 'org:member', permissions: ['org:sys_memberships:read'] },
      ],
    });
  });

  it('lets admins list members and invite; members read the list but may not invite', async () => {
    const owner = await signIn('owner@gatepost.test');
    const members = await owner.fapi('GET', '/organizations/org_standin_acme/memberships?paginated=true');
    expect(
      members.body.response!.data!.map((m) => (m.public_user_data as { identifier: string }).identifier).sort(),
    ).toEqual(['owner@gatepost.test', 'team@gatepost.test']);
    const roles = await owner.fapi('GET', '/organizations/org_standin_acme/roles?limit=20&offset=0');
    expect(roles.body.response!.data!.map((r) => r.key)).toEqual(['org:admin', 'org:member']);

    const invitee = email('invitee').toLowerCase();
    const bulk = await owner.fapi('POST', '/organizations/org_standin_acme/invitations/bulk', {
      email_address: [invitee, `second-${invitee}`],
      role: 'org:member',
    });
    expect(bulk.status).toBe(200);
    expect(bulk.body.response).toHaveLength(2);
    const pending = await owner.fapi('GET', '/organizations/org_standin_acme/invitations?status=pending');
    expect(pending.body.response!.data!.map((i) => i.email_address)).toEqual(
      expect.arrayContaining([invitee, `second-${invitee}`]),
    );

    const team = await signIn('team@gatepost.test');
    expect((await team.fapi('GET', '/organizations/org_standin_acme/memberships?paginated=true')).status).toBe(200);
    const refused = await team.fapi('POST', '/organizations/org_standin_acme/invitations/bulk', {
      email_address: 'x@example.com',
      role: 'org:admin',
    });
    expect(refused.status).toBe(403);
    // Not a member at all: the organization does not exist for them.
    const premium = await signIn('premium@gatepost.test');
    expect((await premium.fapi('GET', '/organizations/org_standin_acme/memberships')).status).toBe(404);
  });

  it('keeps at least one admin', async () => {
    const owner = await signIn('owner@gatepost.test');
    const demote = await owner.fapi('PATCH', '/organizations/org_standin_acme/memberships/user_standin_owner', {
      role: 'org:member',
    });
    expect(demote.status).toBe(422);
    expect(demote.body.errors?.[0]?.code).toBe('organization_minimum_permissions_needed');
    const leave = await owner.fapi('DELETE', '/me/organization_memberships/org_standin_acme');
    expect(leave.status).toBe(422);
    expect(leave.body.errors?.[0]?.code).toBe('organization_minimum_permissions_needed');
  });

  it("lets an admin change a member's role and revoke an invitation", async () => {
    const owner = await signIn('owner@gatepost.test');
    const member = '/organizations/org_standin_acme/memberships/user_standin_team';
    const promoted = await owner.fapi('PATCH', member, { role: 'org:admin' });
    expect(promoted.status).toBe(200);
    expect(promoted.body.response).toMatchObject({ role: 'org:admin' });
    const back = await owner.fapi('PATCH', member, { role: 'org:member' });
    expect(back.body.response).toMatchObject({ role: 'org:member', permissions: ['org:sys_memberships:read'] });

    const invited = await owner.fapi('POST', '/organizations/org_standin_acme/invitations', {
      email_address: email('revoked').toLowerCase(),
      role: 'org:member',
    });
    const invitation = invited.body.response!.id as string;
    const revoked = await owner.fapi('POST', `/organizations/org_standin_acme/invitations/${invitation}/revoke`, {});
    expect(revoked.status).toBe(200);
    expect(revoked.body.response).toMatchObject({ id: invitation, status: 'revoked' });
  });
});
