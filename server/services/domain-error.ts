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

/** Reserving in a drop whose line is on, without a valid pass. */
export const passRequired = (dropId: string) =>
  new DomainError(
    'pass-required',
    403,
    `drop "${dropId}" has a waiting line: join it (POST /v1/drops/${dropId}/line) and reserve while your place's pass is valid (after admission, before passExpiresAt)`,
  );

export const notFound = (what: string) => new DomainError('not-found', 404, `${what} does not exist`);
