/**
 * Property-based checks of the access policy and the preview splitter: for random articles and random
 * claim sets, a denied reader never gets text after the marker, and a higher tier never sees less.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideAccess } from '../../src/gate/decision';
import { viewerFromAuth, type AuthLike } from '../../src/gate/viewer';
import { ACCESS_LEVELS, accessRank, type AccessLevel } from '../../src/gate/membership';
import { markdownToHtml } from 'satteri';
import { findMarker, MEMBERS_ONLY_MARKER, splitRendered } from '../../src/articles/marker';
import { MARKDOWN_FEATURES } from '../../src/articles/source/markdown';

const SECRET = 'ZZSECRETZZ';
const runs = { numRuns: Number(process.env.FUZZ_RUNS ?? 500) };

const junk = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.array(fc.string()),
  fc.dictionary(fc.string(), fc.string()),
);
const tierish = fc.oneof(fc.constantFrom(...ACCESS_LEVELS, 'Premium', 'gold', ' premium', ''), junk);

const claims = fc.record(
  {
    metadata: fc.oneof(
      fc.record({ tier: tierish, roles: fc.oneof(fc.array(fc.string()), junk) }, { requiredKeys: [] }),
      junk,
    ),
    org_metadata: fc.oneof(fc.record({ tier: tierish }, { requiredKeys: [] }), junk),
    unsafe_metadata: fc.record({ tier: tierish }, { requiredKeys: [] }),
    pla: fc.oneof(fc.constantFrom('u:premium', 'o:team', 'u:free', 'premium', ''), fc.string()),
    fea: fc.oneof(fc.constantFrom('u:premium_articles', ''), fc.string()),
  },
  { requiredKeys: [] },
);

/** Clerk-like has(): plans/features from the claims, throwing on malformed entries as Clerk's parser does. */
const hasFor = (c: Record<string, unknown>) => (params: { plan?: string; feature?: string }) => {
  const list = (value: unknown) =>
    String(value ?? '')
      .split(',')
      .filter(Boolean)
      .map((part) => {
        if (!part.includes(':')) throw new Error('malformed');
        return part.split(':')[1];
      });
  const strip = (name: string) => name.split(':').pop();
  if (params.plan) return list(c.pla).includes(strip(params.plan));
  if (params.feature) return list(c.fea).includes(strip(params.feature));
  return false;
};

const auth: fc.Arbitrary<AuthLike | null> = fc.oneof(
  fc.constant(null),
  fc
    .record({
      userId: fc.oneof(fc.constant('user_1'), fc.constant(null), fc.constant('')),
      sessionId: fc.oneof(fc.constant('sess_1'), fc.constant(null)),
      orgId: fc.oneof(fc.constant('org_1'), fc.constant(null)),
      sessionClaims: claims,
    })
    .map((a) => ({ ...a, has: hasFor(a.sessionClaims as Record<string, unknown>) })),
);

const markdownish = fc.array(
  fc.oneof(
    fc.lorem(),
    fc.constantFrom('<p>', '</p>', '<!--', '-->', '<!-- members only -->', '\n\n', '## Heading', MEMBERS_ONLY_MARKER),
  ),
);

/** What a reader without access gets of a Markdown body: its HTML as rendered, cut where `findMarker` says. */
const previewOf = (markdown: string) =>
  splitRendered(
    markdownToHtml(markdown, { features: MARKDOWN_FEATURES }).html,
    findMarker(markdown).marker !== undefined,
  );

describe('fuzz: the preview splitter', () => {
  it('never puts anything after the marker into the preview', () => {
    let found = 0;
    fc.assert(
      fc.property(markdownish, markdownish, (before, after) => {
        const body = `${before.join(' ')}\n\n${MEMBERS_ONLY_MARKER}\n\n${SECRET}${after.join(' ')}`;
        const split = previewOf(body);
        expect(split.preview).not.toContain(SECRET);
        // A marker the rule finds is always where the HTML is cut.
        if (findMarker(body).marker) {
          found += 1;
          expect(split.membersOnly).toContain(SECRET);
        } else expect(split.preview).toBe('');
      }),
      runs,
    );
    // Only code fences the generator opened hide the marker: most bodies must have taken the cut branch.
    expect(found).toBeGreaterThan(runs.numRuns / 4);
    expect(previewOf(`Teaser.\n\n${MEMBERS_ONLY_MARKER}\n\n${SECRET}`)).toMatchObject({ hasMarker: true });
  });

  it('without a marker, previews nothing at all', () => {
    fc.assert(
      fc.property(markdownish, (parts) => {
        const body = `${parts.filter((part) => part !== MEMBERS_ONLY_MARKER).join(' ')} ${SECRET}`;
        expect(previewOf(body).preview).toBe('');
      }),
      runs,
    );
  });
});

describe('fuzz: the access policy', () => {
  it('never throws, and only signed-in readers with a session get a tier', () => {
    fc.assert(
      fc.property(auth, (a) => {
        const viewer = viewerFromAuth(a);
        if (!a?.userId || !a.sessionId) expect(viewer.kind).toBe('anonymous');
        else expect(['members', 'premium']).toContain(viewer.tier);
      }),
      runs,
    );
  });

  it('a denied decision never yields text after the marker, whatever the claims', () => {
    fc.assert(
      fc.property(auth, fc.constantFrom(...ACCESS_LEVELS), markdownish, (a, access, words) => {
        const body = `${words.join(' ')}\n\n${MEMBERS_ONLY_MARKER}\n\n${SECRET}`;
        const decision = decideAccess(viewerFromAuth(a), { access });
        const shown = decision.allowed ? body : previewOf(body).preview;
        if (!decision.allowed) expect(shown).not.toContain(SECRET);
        // Premium text is only ever shown to premium readers.
        if (shown.includes(SECRET) && access === 'premium') expect(viewerFromAuth(a).tier).toBe('premium');
      }),
      runs,
    );
  });

  it('higher tiers never see less than lower ones', () => {
    const levels = ACCESS_LEVELS.filter((l) => l !== 'public') as Exclude<AccessLevel, 'public'>[];
    fc.assert(
      fc.property(
        fc.constantFrom(...levels),
        fc.constantFrom(...levels),
        fc.constantFrom(...ACCESS_LEVELS),
        (a, b, access) => {
          const viewer = (tier: AccessLevel) =>
            viewerFromAuth({ userId: 'u', sessionId: 's', sessionClaims: { metadata: { tier } }, has: () => false });
          const [low, high] = accessRank(a) <= accessRank(b) ? [a, b] : [b, a];
          if (decideAccess(viewer(low), { access }).allowed)
            expect(decideAccess(viewer(high), { access }).allowed).toBe(true);
        },
      ),
      runs,
    );
  });

  it('unsafe metadata never changes the outcome', () => {
    fc.assert(
      fc.property(auth, tierish, fc.constantFrom(...ACCESS_LEVELS), (a, tier, access) => {
        if (!a) return;
        const withUnsafe = {
          ...a,
          sessionClaims: { ...a.sessionClaims, unsafe_metadata: { tier }, unsafeMetadata: { tier } },
        };
        expect(decideAccess(viewerFromAuth(withUnsafe), { access }).allowed).toBe(
          decideAccess(viewerFromAuth(a), { access }).allowed,
        );
      }),
      runs,
    );
  });
});
