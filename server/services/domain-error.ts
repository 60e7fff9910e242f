import type { ProblemCode } from '../../src/protocol/types.js';

/** A refusal by the rules (sold out, not started, …); the HTTP layer turns it into a problem. */
export class DomainError extends Error {
  constructor(
    readonly code: ProblemCode,
    readonly status: number,
    message: string,
    /** Extra response headers (`Retry-After` on a 503). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string) => new DomainError('not-found', 404, `${what} does not exist`);
