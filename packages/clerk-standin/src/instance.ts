/**
 * The stand-in's Clerk instance, in memory: keys, accounts, organizations, browser clients, sessions,
 * and session-token minting. The HTTP handlers (fapi/, bapi/, admin.ts) only translate requests into calls
 * here and results into Clerk's JSON.
 */
import { randomBytes } from 'node:crypto';
import {
  mergeMetadata,
  newUserId,
  passwordMatches,
  seedAccounts,
  DEMO_PASSWORD,
  type Account,
  type Organization,
} from './accounts.ts';
import { generateInstanceKeys, signJwt, STANDIN_FAPI_HOST, type InstanceKeys } from './keys.ts';
import { userDeletedEvent, userEvent, type StandinEvent } from './webhooks/events.ts';
import {
  signInResource,
  signUpResource,
  type ClientData,
  type SessionData,
  type SignInData,
  type SignUpData,
} from './resources/index.ts';

export interface InstanceOptions {
  /** Default session token lifetime in seconds (Clerk's is 60). */
  tokenLifetime?: number;
}

export interface Client {
  id: string;
  /** Active sessions (one at most: the instance runs in single-session mode, like most Clerk apps). */
  sessionIds: string[];
  lastActiveSessionId: string | null;
  signIn: SignInData | null;
  signUp: SignUpData | null;
  createdAt: number;
  /** Milliseconds; changes when the client signs in or out. Its seconds become `__client_uat`. */
  updatedAt: number;
}

export interface Session {
  id: string;
  userId: string;
  clientId: string;
  status: 'active' | 'ended' | 'removed';
  activeOrganizationId: string | null;
  createdAt: number;
  lastActiveAt: number;
  lastToken: string | null;
}

export interface Stats {
  /** HTTP requests the stand-in answered itself on the Frontend and admin APIs (not forwarded ones). */
  requests: number;
  /** Backend API requests (Clerk's SDK on the server: the members sync, Billing's plans). */
  backendRequests: number;
  tokens: number;
  handshakes: number;
  signIns: number;
  signOuts: number;
  failedSignIns: number;
  /** Accounts created through Clerk's <SignUp/>. */
  signUps: number;
  /** Session tokens minted, per user id. */
  tokensByUser: Record<string, number>;
  /** Frontend API calls the stand-in does not implement (answered with Clerk's error format). */
  unhandled: string[];
}

const id = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;
const seconds = (ms: number) => Math.floor(ms / 1000);

/** Clients are created for every new browser; keep memory bounded on a long-running demo. */
const MAX_CLIENTS = 5_000;

export class Instance {
  readonly keys: InstanceKeys;
  readonly issuer = `https://${STANDIN_FAPI_HOST}`;
  readonly tokenLifetime: number;
  readonly accounts = new Map<string, Account>();
  readonly organizations = new Map<string, Organization>();
  readonly clients = new Map<string, Client>();
  readonly sessions = new Map<string, Session>();
  readonly stats: Stats = {
    requests: 0,
    backendRequests: 0,
    tokens: 0,
    handshakes: 0,
    signIns: 0,
    signOuts: 0,
    failedSignIns: 0,
    signUps: 0,
    tokensByUser: {},
    unhandled: [],
  };

  /** Who hears of changes Clerk would send a webhook for (the webhook sender, tests). */
  private readonly listeners = new Set<(event: StandinEvent) => void>();

  constructor(options: InstanceOptions = {}) {
    this.keys = generateInstanceKeys();
    this.tokenLifetime = options.tokenLifetime ?? 60;
    const seeds = seedAccounts();
    for (const account of seeds.accounts) this.accounts.set(account.id, account);
    for (const org of seeds.organizations) this.organizations.set(org.id, org);
  }

  // --- events -----------------------------------------------------------------------------------

  /** Calls `listener` with every change Clerk would send a webhook for; returns a function that stops it. */
  onEvent(listener: (event: StandinEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: StandinEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  // --- accounts ---------------------------------------------------------------------------------

  findByEmail(email: string): Account | undefined {
    const wanted = email.trim().toLowerCase();
    return [...this.accounts.values()].find((a) => a.email.toLowerCase() === wanted);
  }

  createAccount(input: {
    email: string;
    password?: string | undefined;
    firstName?: string | undefined;
    lastName?: string | undefined;
    publicMetadata?: Record<string, unknown> | undefined;
    tokenLifetime?: number | undefined;
    note?: string | undefined;
  }): Account {
    if (this.findByEmail(input.email)) throw new Error(`an account with ${input.email} exists`);
    const now = Date.now();
    const account: Account = {
      id: newUserId(),
      handle: input.email.split('@')[0] ?? input.email,
      note: input.note ?? 'created through the admin API',
      email: input.email,
      password: input.password ?? DEMO_PASSWORD,
      firstName: input.firstName ?? 'Test',
      lastName: input.lastName ?? 'Reader',
      publicMetadata: input.publicMetadata ?? {},
      plans: [],
      features: [],
      memberships: [],
      createdAt: now,
      updatedAt: now,
      ...(input.tokenLifetime ? { tokenLifetime: input.tokenLifetime } : {}),
    };
    this.accounts.set(account.id, account);
    this.emit(userEvent('user.created', account));
    return account;
  }

  /** After a change to the user's own fields (name, metadata): a new `updated_at` and `user.updated`. */
  touchAccount(account: Account): void {
    account.updatedAt = Math.max(Date.now(), account.updatedAt + 1);
    this.emit(userEvent('user.updated', account));
  }

  /** Deletes the user, as the Backend API's `DELETE /v1/users/:id` does: sessions end, memberships go. */
  deleteAccount(userId: string): boolean {
    const account = this.accounts.get(userId);
    if (!account) return false;
    for (const session of this.sessions.values()) if (session.userId === userId) session.status = 'removed';
    for (const membership of account.memberships) membership.organization.membersCount -= 1;
    this.accounts.delete(userId);
    this.emit(userDeletedEvent(userId));
    return true;
  }

  updateMetadata(userId: string, patch: unknown): Account | undefined {
    const account = this.accounts.get(userId);
    if (!account) return undefined;
    account.publicMetadata = mergeMetadata(account.publicMetadata, patch);
    this.touchAccount(account);
    return account;
  }

  checkPassword(account: Account, password: string): boolean {
    return passwordMatches(account, password);
  }

  // --- clients and sessions ---------------------------------------------------------------------

  client(clientId: string | undefined): Client | undefined {
    return clientId ? this.clients.get(clientId) : undefined;
  }

  createClient(): Client {
    if (this.clients.size >= MAX_CLIENTS) {
      // Drop the oldest clients without a session: anonymous visitors who never signed in.
      for (const [key, client] of this.clients) {
        if (client.sessionIds.length === 0) this.clients.delete(key);
        if (this.clients.size < MAX_CLIENTS / 2) break;
      }
    }
    const now = Date.now();
    const client: Client = {
      id: id('client'),
      sessionIds: [],
      lastActiveSessionId: null,
      signIn: null,
      signUp: null,
      createdAt: now,
      updatedAt: now,
    };
    this.clients.set(client.id, client);
    return client;
  }

  activeSessions(client: Client): Session[] {
    return client.sessionIds
      .map((sessionId) => this.sessions.get(sessionId))
      .filter((s): s is Session => !!s && s.status === 'active');
  }

  /** The `__client_uat` value: when the client last signed in or out, 0 once it has no session. */
  clientUat(client: Client | undefined): number {
    return client && this.activeSessions(client).length > 0 ? seconds(client.updatedAt) : 0;
  }

  startSession(client: Client, account: Account): Session {
    // Single-session mode: a new sign-in replaces whatever session the browser had.
    for (const previous of this.activeSessions(client)) previous.status = 'ended';
    const now = Date.now();
    const session: Session = {
      id: id('sess'),
      userId: account.id,
      clientId: client.id,
      status: 'active',
      // As in Clerk: a session starts with no active organization (the site or the reader picks one).
      activeOrganizationId: null,
      createdAt: now,
      lastActiveAt: now,
      lastToken: null,
    };
    this.sessions.set(session.id, session);
    client.sessionIds = [session.id];
    client.lastActiveSessionId = session.id;
    client.updatedAt = now;
    this.stats.signIns += 1;
    return session;
  }

  endSessions(client: Client, which: Session[], status: 'ended' | 'removed' = 'ended'): void {
    for (const session of which) session.status = status;
    client.sessionIds = client.sessionIds.filter((sid) => this.sessions.get(sid)?.status === 'active');
    if (!client.sessionIds.includes(client.lastActiveSessionId ?? '')) client.lastActiveSessionId = null;
    client.signIn = null;
    client.signUp = null;
    client.updatedAt = Date.now();
    this.stats.signOuts += 1;
  }

  /** The organization a session may act in: only one its user belongs to. */
  membershipOf(account: Account, organizationId: string | null | undefined) {
    return organizationId ? account.memberships.find((m) => m.organization.id === organizationId) : undefined;
  }

  /**
   * A session token with the claims Gatepost's policy reads (see README "Session claims"): `metadata`
   * (user public metadata) and, with an active organization, `o` and `org_metadata`; Clerk Billing
   * plans and features as `pla`/`fea` (v2 tokens). Signed with this run's private key.
   */
  mintToken(session: Session, azp: string, organizationId: string | null = session.activeOrganizationId): string {
    const account = this.accounts.get(session.userId);
    if (!account) throw new Error(`session ${session.id} has no user`);
    const membership = this.membershipOf(account, organizationId);
    const org = membership ? this.organizations.get(membership.organization.id) : undefined;
    const now = seconds(Date.now());
    const lifetime = account.tokenLifetime ?? this.tokenLifetime;
    const scoped = (scope: string, names: string[]) => names.map((name) => `${scope}:${name}`);
    const plans = [...scoped('u', account.plans), ...(org ? scoped('o', org.plans) : [])];
    const features = scoped('u', account.features);
    const token = signJwt(this.keys, {
      azp,
      exp: now + lifetime,
      fva: [0, -1],
      iat: now,
      iss: this.issuer,
      jti: randomBytes(10).toString('hex'),
      nbf: now - 10,
      sid: session.id,
      sts: 'active',
      sub: account.id,
      v: 2,
      ...(plans.length || features.length ? { pla: plans.join(','), fea: features.join(',') } : {}),
      metadata: account.publicMetadata,
      ...(org && membership
        ? {
            o: { id: org.id, slg: org.slug, rol: membership.role.replace(/^org:/, '') },
            org_metadata: org.publicMetadata,
          }
        : {}),
    });
    session.lastToken = token;
    session.lastActiveAt = Date.now();
    this.stats.tokens += 1;
    this.stats.tokensByUser[account.id] = (this.stats.tokensByUser[account.id] ?? 0) + 1;
    return token;
  }

  // --- JSON views -------------------------------------------------------------------------------

  sessionData(session: Session, azp: string): SessionData {
    const account = this.accounts.get(session.userId)!;
    return {
      id: session.id,
      user: account,
      status: session.status,
      lastActiveToken: session.lastToken ?? this.mintToken(session, azp),
      activeOrganizationId: session.activeOrganizationId,
      createdAt: session.createdAt,
      lastActiveAt: session.lastActiveAt,
    };
  }

  clientData(client: Client, azp: string): ClientData {
    const sessions = this.activeSessions(client);
    return {
      id: client.id,
      sessions: sessions.map((s) => this.sessionData(s, azp)),
      signIn: client.signIn ? signInResource(client.signIn) : null,
      signUp: client.signUp ? signUpResource(client.signUp) : null,
      lastActiveSessionId: client.lastActiveSessionId,
      createdAt: client.createdAt,
      updatedAt: client.updatedAt,
    };
  }

  /** Public listing of the accounts (the banner, docs and tests read it). */
  accountList() {
    return [...this.accounts.values()].map((a) => ({
      id: a.id,
      handle: a.handle,
      email: a.email,
      password: a.password,
      name: `${a.firstName} ${a.lastName}`,
      note: a.note,
      publicMetadata: a.publicMetadata,
      organizations: a.memberships.map((m) => ({ id: m.organization.id, name: m.organization.name })),
    }));
  }
}
