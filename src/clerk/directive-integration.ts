/** Registers `client:session` (src/clerk/directive.ts). */
import type { AstroIntegration } from 'astro';
import { fileURLToPath } from 'node:url';

export default function sessionDirective(): AstroIntegration {
  return {
    name: 'gatepost/session-directive',
    hooks: {
      'astro:config:setup': ({ addClientDirective }) => {
        addClientDirective({
          name: 'session',
          entrypoint: fileURLToPath(new URL('./directive.ts', import.meta.url)),
        });
      },
    },
  };
}
