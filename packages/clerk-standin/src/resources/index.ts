/**
 * The JSON shapes Clerk's Frontend API (FAPI) answers with, as clerk-js 6 reads them: the instance
 * environment, clients, sessions, users, sign-in and sign-up attempts, organizations and their
 * memberships, roles and invitations, and Clerk Billing. Shared by the stand-in's Frontend and Backend
 * API and by Gatepost's Playwright route stub (tests/support/fapi-stub.ts).
 *
 * Only the fields clerk-js and @clerk/ui read are filled in; timestamps are milliseconds, as in FAPI.
 * Field names and values were checked against clerk-js 6.40.0's resource classes (`fromJSON`).
 */
export * from './billing.ts';
export * from './environment.ts';
export * from './errors.ts';
export * from './roles.ts';
export * from './sessions.ts';
export * from './sign-in.ts';
export * from './sign-up.ts';
export * from './users.ts';
