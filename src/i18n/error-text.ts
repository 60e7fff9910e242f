import type { StringKey } from './strings.js';

/** The message a shopper sees for an error code from `errorCode()`. */
export function errorTextKey(code: string, fallback: StringKey = 'reserveFailed'): StringKey {
  switch (code) {
    case 'network':
      return 'networkError';
    case 'protocol':
      return 'protocolError';
    case 'not-found':
      return 'notFound';
    case 'product-not-found':
      return 'productNotFound';
    case 'config':
      return 'configError';
    case 'limit-exceeded':
      return 'limitExceeded';
    case 'sold-out':
    case 'insufficient-stock':
      return 'justSoldOut';
    case 'drop-not-started':
      return 'notStarted';
    case 'drop-ended':
      return 'ended';
    default:
      // too-many-requests, too-many-holds (429)
      return code.startsWith('too-many') ? 'tooManyTries' : fallback;
  }
}
