/**
 * Sign-in in the stand-in's Frontend API: what Clerk's <SignIn/> calls for email + password
 * (`/v1/client/sign_ins…`). Password is the only first factor the stand-in offers.
 */
import { randomBytes } from 'node:crypto';
import type { Account } from '../accounts.ts';
import { stringParam } from '../http.ts';
import type { Client } from '../instance.ts';
import { signInResource } from '../resources/index.ts';
import type { Call, FapiRoute, Handler } from './call.ts';

/** A route for `/v1/client/sign_ins/:id/…`: 404 when the sign-in named is not this browser's. */
const forSignIn =
  (handle: (call: Call, client: Client, signIn: NonNullable<Client['signIn']>) => void): Handler =>
  (call, params) => {
    const c = call.ensureClient();
    const signIn = c.signIn?.id === params.id ? c.signIn : null;
    if (!signIn) return call.fail(404, 'resource_not_found', 'Sign-in not found. Start again.');
    handle(call, c, signIn);
  };

function attemptPassword(call: Call, c: Client, account: Account, password: string) {
  const { instance, ctx } = call;
  if (!instance.checkPassword(account, password)) {
    instance.stats.failedSignIns += 1;
    ctx.log(`wrong password for ${account.email}`);
    return call.fail(
      422,
      'form_password_incorrect',
      'Password is incorrect. Try again, or use another method.',
      undefined,
      'password',
    );
  }
  const session = instance.startSession(c, account);
  instance.mintToken(session, call.origin);
  c.signIn = { ...c.signIn!, status: 'complete', createdSessionId: session.id, firstFactorVerified: true };
  ctx.log(`signed in: ${account.email}`);
  return call.reply(200, signInResource(c.signIn));
}

/** Email and password sign-in: the identifier, optionally with the password in the same call. */
const createSignIn: Handler = (call) => {
  const { instance, params } = call;
  const c = call.ensureClient();
  const identifier = stringParam(params, 'identifier');
  const account = identifier ? instance.findByEmail(identifier) : undefined;
  if (identifier && !account) {
    instance.stats.failedSignIns += 1;
    return call.fail(422, 'form_identifier_not_found', "Couldn't find your account.", undefined, 'identifier');
  }
  c.signIn = {
    id: `sia_${randomBytes(10).toString('hex')}`,
    status: account ? 'needs_first_factor' : 'needs_identifier',
    identifier: account?.email ?? null,
    user: account ?? null,
    createdSessionId: null,
    firstFactorVerified: false,
    createdAt: Date.now(),
  };
  const password = stringParam(params, 'password');
  if (account && password !== undefined) return attemptPassword(call, c, account, password);
  return call.reply(200, signInResource(c.signIn));
};

export const SIGN_IN_ROUTES: FapiRoute[] = [
  { methods: ['POST'], path: '/v1/client/sign_ins', handle: createSignIn },
  {
    methods: ['GET'],
    path: '/v1/client/sign_ins/:id',
    handle: forSignIn((call, _c, signIn) => call.reply(200, signInResource(signIn))),
  },
  {
    methods: ['POST'],
    path: '/v1/client/sign_ins/:id/attempt_first_factor',
    handle: forSignIn((call, c, signIn) => {
      if (stringParam(call.params, 'strategy') !== 'password' || !signIn.user) {
        return call.fail(
          422,
          'strategy_for_user_invalid',
          'The local stand-in only supports password sign-in.',
          undefined,
          'strategy',
        );
      }
      return attemptPassword(call, c, signIn.user as Account, stringParam(call.params, 'password') ?? '');
    }),
  },
];
