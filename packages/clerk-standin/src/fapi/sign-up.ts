/**
 * Sign-up in the stand-in's Frontend API: what Clerk's <SignUp/> calls for email + password followed by
 * an email code (`/v1/client/sign_ups…`).
 *
 * No email is ever sent. The stand-in follows Clerk's test-mode convention instead: the code 424242
 * verifies any address (real Clerk accepts it only in development instances, for `+clerk_test`
 * addresses). New accounts live in memory for this run and start at the `members` level.
 */
import { randomBytes } from 'node:crypto';
import { stringParam } from '../http.ts';
import type { Client } from '../instance.ts';
import { signUpResource, type SignUpData } from '../resources/index.ts';
import type { Call, FapiRoute, Handler } from './call.ts';

/** Clerk's test-mode verification code. */
export const TEST_CODE = '424242';
/** What a new account's public metadata says (Gatepost reads `tier`). */
export const NEW_ACCOUNT_METADATA = { tier: 'members' } as const;
const CODE_LIFETIME_MS = 10 * 60_000;
const MAX_ATTEMPTS = 5;
/** As the instance's `password_settings` (resources/environment.ts) tell Clerk's UI. */
const PASSWORD_LENGTH = { min: 8, max: 72 };
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Reads and checks the fields a create or update sends; answers the error itself and returns false. */
function applyFields(call: Call, signUp: SignUpData): boolean {
  const { params, instance } = call;
  const email = stringParam(params, 'email_address')?.trim();
  const password = stringParam(params, 'password');
  if (email !== undefined) {
    if (!EMAIL.test(email) || email.length > 254) {
      call.fail(
        422,
        'form_param_format_invalid',
        'Email address must be a valid email address.',
        undefined,
        'email_address',
      );
      return false;
    }
    if (instance.findByEmail(email)) {
      call.fail(
        422,
        'form_identifier_exists',
        'That email address is taken. Please try another.',
        undefined,
        'email_address',
      );
      return false;
    }
    if (email !== signUp.emailAddress) signUp.verification = null;
    signUp.emailAddress = email;
  }
  if (password !== undefined) {
    if (password.length < PASSWORD_LENGTH.min) {
      call.fail(
        422,
        'form_password_length_too_short',
        `Passwords must be ${PASSWORD_LENGTH.min} characters or more.`,
        undefined,
        'password',
      );
      return false;
    }
    if (password.length > PASSWORD_LENGTH.max) {
      call.fail(
        422,
        'form_password_length_too_long',
        `Passwords must be less than ${PASSWORD_LENGTH.max} characters.`,
        undefined,
        'password',
      );
      return false;
    }
    signUp.password = password;
  }
  const first = stringParam(params, 'first_name');
  const last = stringParam(params, 'last_name');
  if (first !== undefined) signUp.firstName = first.slice(0, 100);
  if (last !== undefined) signUp.lastName = last.slice(0, 100);
  return true;
}

const createSignUp: Handler = (call) => {
  const c = call.ensureClient();
  const signUp: SignUpData = {
    id: `sua_${randomBytes(10).toString('hex')}`,
    status: 'missing_requirements',
    emailAddress: null,
    firstName: null,
    lastName: null,
    password: null,
    verification: null,
    createdUserId: null,
    createdSessionId: null,
    locale: stringParam(call.params, 'locale') ?? null,
    createdAt: Date.now(),
  };
  if (!applyFields(call, signUp)) return;
  c.signUp = signUp;
  return call.reply(200, signUpResource(signUp));
};

/** A handler for `/v1/client/sign_ups/:id/…`: 404 when the sign-up named is not this browser's. */
const forSignUp =
  (handle: (call: Call, client: Client, signUp: SignUpData) => void): Handler =>
  (call, params) => {
    const c = call.ensureClient();
    const signUp = c.signUp?.id === params.id ? c.signUp : null;
    if (!signUp) return call.fail(404, 'resource_not_found', 'Sign-up not found. Start again.');
    handle(call, c, signUp);
  };

const notEmailCode = (call: Call) =>
  call.fail(
    422,
    'strategy_for_user_invalid',
    'The local stand-in only verifies email addresses with a code.',
    undefined,
    'strategy',
  );

const prepare = forSignUp((call, _c, signUp) => {
  if (stringParam(call.params, 'strategy') !== 'email_code') return notEmailCode(call);
  if (!signUp.emailAddress) {
    return call.fail(422, 'form_param_missing', 'Enter an email address first.', undefined, 'email_address');
  }
  // "Sending" the code: the stand-in sends nothing; 424242 is the code (see the banner).
  signUp.verification = { status: 'unverified', attempts: 0, expireAt: Date.now() + CODE_LIFETIME_MS };
  call.ctx.log(`sign-up code for ${signUp.emailAddress}: use ${TEST_CODE} (nothing is sent)`);
  return call.reply(200, signUpResource(signUp));
});

const attempt = forSignUp((call, c, signUp) => {
  const { instance, params } = call;
  if (stringParam(params, 'strategy') !== 'email_code') return notEmailCode(call);
  const verification = signUp.verification;
  if (!verification || !signUp.emailAddress) {
    return call.fail(422, 'verification_missing', 'Request a code first.', undefined, 'code');
  }
  if (verification.status === 'verified') return call.reply(200, signUpResource(signUp));
  if (verification.status === 'failed' || verification.attempts >= MAX_ATTEMPTS) {
    verification.status = 'failed';
    return call.fail(422, 'verification_failed', 'Too many failed attempts. Request a new code.', undefined, 'code');
  }
  if (Date.now() > verification.expireAt) {
    verification.status = 'expired';
    return call.fail(422, 'verification_expired', 'This code has expired. Request a new one.', undefined, 'code');
  }
  const code = stringParam(params, 'code') ?? '';
  if (!code) return call.fail(422, 'form_param_nil', 'Enter code.', undefined, 'code');
  verification.attempts += 1;
  if (code !== TEST_CODE) {
    instance.stats.failedSignIns += 1;
    call.ctx.log(`wrong sign-up code for ${signUp.emailAddress}`);
    return call.fail(422, 'form_code_incorrect', 'is incorrect', 'Incorrect code', 'code');
  }
  // The address may have been taken since this sign-up started (another browser, the admin API).
  if (instance.findByEmail(signUp.emailAddress)) {
    return call.fail(
      422,
      'form_identifier_exists',
      'That email address is taken. Please try another.',
      undefined,
      'email_address',
    );
  }
  verification.status = 'verified';
  if (!signUp.password) return call.reply(200, signUpResource(signUp));

  const account = instance.createAccount({
    email: signUp.emailAddress,
    password: signUp.password,
    firstName: signUp.firstName ?? '',
    lastName: signUp.lastName ?? '',
    publicMetadata: { ...NEW_ACCOUNT_METADATA },
    note: 'signed up in this run',
  });
  const session = instance.startSession(c, account);
  instance.mintToken(session, call.origin);
  Object.assign(signUp, {
    status: 'complete',
    password: null,
    createdUserId: account.id,
    createdSessionId: session.id,
  } satisfies Partial<SignUpData>);
  instance.stats.signUps += 1;
  call.ctx.log(`signed up: ${account.email}`);
  return call.reply(200, signUpResource(signUp));
});

export const SIGN_UP_ROUTES: FapiRoute[] = [
  { methods: ['POST'], path: '/v1/client/sign_ups', handle: createSignUp },
  {
    methods: ['GET'],
    path: '/v1/client/sign_ups/:id',
    handle: forSignUp((call, _c, signUp) => call.reply(200, signUpResource(signUp))),
  },
  {
    methods: ['PATCH'],
    path: '/v1/client/sign_ups/:id',
    handle: forSignUp((call, _c, signUp) => {
      if (signUp.status === 'complete') return call.reply(200, signUpResource(signUp));
      if (applyFields(call, signUp)) call.reply(200, signUpResource(signUp));
    }),
  },
  { methods: ['POST'], path: '/v1/client/sign_ups/:id/prepare_verification', handle: prepare },
  { methods: ['POST'], path: '/v1/client/sign_ups/:id/attempt_verification', handle: attempt },
];
