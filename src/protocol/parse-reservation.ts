/**
 * Checks for a shopper's data: the anonymous session, a reservation and the
 * order it becomes. Kept out of parse.ts because only the card's reservation
 * chunk reads them (and the server's tests): in parse.ts they rode in the
 * script-tag module, which never calls them, and cost its size budget
 * 85 B gzip. Built from parse.ts's checkers, so the rules are the same.
 */
import { among, id, perCustomer, shape, text, time } from './parse.js';
import type { Order, Reservation, ReservationStatus, ShopperSession } from './types.js';

const shopperSession = shape<ShopperSession>({ shopperToken: text(8, 512) });
export const parseShopperSession = (v: unknown): ShopperSession => shopperSession(v, 'shopper');

export const RESERVATION_STATUSES: readonly ReservationStatus[] = ['held', 'confirmed', 'released', 'expired'];

const reservation = shape<Reservation>({
  id,
  dropId: id,
  productId: id,
  variantId: id,
  quantity: perCustomer,
  status: among(RESERVATION_STATUSES),
  createdAt: time,
  expiresAt: time,
});
export const parseReservation = (v: unknown, path = 'reservation'): Reservation => reservation(v, path);

const order = shape<Order>({ id, reservation, confirmedAt: time });
export const parseOrder = (v: unknown, path = 'order'): Order => order(v, path);
