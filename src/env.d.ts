declare namespace App {
  interface Locals {
    /** Set by src/middleware.ts when the session check timed out or failed: serve as signed out. */
    gatepostAuthFailed?: boolean;
  }
}
