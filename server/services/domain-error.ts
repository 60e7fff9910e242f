import type { ProblemCode } from '../../src/protocol/types.js';

/** A refusal by the rules (sold out, not started, …); the HTTP layer turns it into a problem. */
export class DomainError extends Error {
  constructor(
    readonly code: ProblemCode,
    readonly status: number,
    message: string,
    /** When trying again may succeed (answered as `Retry-After`). */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string) => new DomainError('not-found', 404, `${what} does not exist`);
