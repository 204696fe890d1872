/** Clerk's error body: what clerk-js turns into a `ClerkAPIResponseError` and the UI shows. */
export function clerkErrorBody(code: string, message: string, longMessage = message, paramName?: string) {
  return {
    errors: [{ code, message, long_message: longMessage, meta: paramName ? { param_name: paramName } : {} }],
    clerk_trace_id: `standin_${Date.now().toString(36)}`,
  };
}
