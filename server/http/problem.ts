/** Errors as RFC 9457 problem details (`application/problem+json`). */
import { ProtocolError } from '../../src/protocol/parse.js';
import { problemType, type Problem, type ProblemCode } from '../../src/protocol/types.js';
import { DomainError } from '../services/domain-error.js';

const TITLES: Record<ProblemCode, string> = {
  'bad-request': 'Bad request',
  'invalid-json': 'The body is not valid JSON',
  'validation-failed': 'The request does not match the protocol',
  'payload-too-large': 'The body is too large',
  'unsupported-media-type': 'The body must be application/json',
  unauthorized: 'Missing or wrong bearer token',
  forbidden: 'Not allowed',
  'not-found': 'Not found',
  'already-exists': 'Already exists',
  'method-not-allowed': 'Method not allowed',
  'drop-not-started': 'The drop has not started yet',
  'drop-ended': 'The drop has ended',
  'sold-out': 'Sold out',
  'insufficient-stock': 'Not enough stock left',
  'limit-exceeded': 'Per-customer limit reached',
  'reservation-not-held': 'The reservation is no longer held',
  'stock-below-committed': 'Stock cannot go below the units already held or sold',
  'idempotency-key-invalid': 'The Idempotency-Key header is malformed',
  'idempotency-conflict': 'The Idempotency-Key was used for another request',
  'too-many-requests': 'Too many requests from this address',
  'too-many-holds': 'Too many reservations held from this address',
  'chat-off': 'The chat is off',
  'slow-mode': 'Slow mode: wait before posting again',
  'duplicate-message': 'The same message was just posted',
  'message-blocked': 'The message contains a blocked term',
  'pass-required': 'Reserving needs a pass from the waiting line',
  'line-not-open': 'The waiting line is not open yet',
  'no-line': 'This drop has no waiting line',
  internal: 'Internal server error',
  unavailable: 'The server is not taking requests now; retry after Retry-After seconds',
};

/** Thrown by the HTTP layer; carries the problem to answer with. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ProblemCode,
    detail?: string,
    readonly errors?: Problem['errors'],
    readonly headers: Record<string, string> = {},
  ) {
    super(detail ?? TITLES[code]);
    this.name = 'HttpError';
  }
}

export function problem(status: number, code: ProblemCode, detail?: string, errors?: Problem['errors']): Problem {
  return { type: problemType(code), code, title: TITLES[code], status, ...(detail ? { detail } : {}), ...(errors ? { errors } : {}) };
}

/** The problem for anything thrown while handling a request; null when it is a bug (a 500). */
export function problemFor(error: unknown): { problem: Problem; headers: Record<string, string> } | null {
  if (error instanceof HttpError)
    return { problem: problem(error.status, error.code, error.message, error.errors), headers: error.headers };
  if (error instanceof DomainError) return { problem: problem(error.status, error.code, error.message), headers: error.headers };
  if (error instanceof ProtocolError)
    return {
      problem: problem(422, 'validation-failed', `${error.path}: expected ${error.expected}`, [
        { field: error.path, message: `expected ${error.expected}` },
      ]),
      headers: {},
    };
  return null;
}
