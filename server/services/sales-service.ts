/** What the host sees during the show: sales per variant, reservations by status, revenue. */
import type { Reservation, SalesReport } from '../../src/protocol/types.js';
import type { Database } from '../storage/database.js';
import { dropExists } from '../storage/drop-store.js';
import { listReservations, publicReservation, reservationStatusCounts } from '../storage/reservation-store.js';
import { variantLedger } from '../storage/stock-ledger.js';
import { notFound } from './domain-error.js';
import type { DropService } from './drop-service.js';

export interface SalesService {
  report(dropId: string): Promise<SalesReport>;
  /** Newest first, at most 200. */
  reservations(dropId: string): Promise<Reservation[]>;
}

export function createSalesService(db: Database, drops: DropService): SalesService {
  return {
    async report(dropId) {
      const drop = await drops.get(dropId);
      // One statement: stock, available, held and sold of every variant from one snapshot, so they add up.
      const ledger = await variantLedger(db, dropId);
      const statuses = await reservationStatusCounts(db, dropId, Date.now());
      const revenue = new Map<string, number>();
      const variants = ledger.map(({ productId, variantId, stock, available, held, sold }) => {
        // Revenue counts in each product's default (first) price.
        const price = drop.products.find((p) => p.id === productId)?.prices[0]; // a product added since drops.get() has no sales yet
        if (price) revenue.set(price.currency, (revenue.get(price.currency) ?? 0) + price.amount * sold);
        return { productId, variantId, stock, available, held, sold };
      });
      return {
        dropId,
        variants,
        reservations: { held: 0, confirmed: 0, released: 0, expired: 0, ...statuses },
        revenue: [...revenue].map(([currency, amount]) => ({ currency, amount })),
      };
    },

    async reservations(dropId) {
      if (!(await dropExists(db, dropId))) throw notFound(`drop "${dropId}"`);
      return (await listReservations(db, dropId, Date.now())).map(publicReservation);
    },
  };
}
