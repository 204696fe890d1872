/**
 * True when Clerk's client cookie says this browser has signed in (`__client_uat`, or its suffixed
 * form, is a non-zero time). Only a hint for what to load and show first: the server verifies the
 * session itself, and Clerk's UI shows the truth once loaded. No imports, so the `client:session`
 * directive (inlined into every page) stays tiny.
 */
export function hasClerkSession(cookies: string = document.cookie): boolean {
  return cookies.split(/;\s*/).some((pair) => {
    const [name, value] = pair.split('=');
    return !!name && /^__client_uat(_[\w-]+)?$/.test(name) && !!value && value !== '0';
  });
}
