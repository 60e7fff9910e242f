/** What the host sees during the show: sales per variant, reservations by status, revenue. */
import type { Reservation, SalesReport } from '../../src/protocol/types.js';
import type { Database } from '../storage/database.js';
import { dropExists } from '../storage/drop-store.js';
import { listReservations, publicReservation, salesFigures } from '../storage/reservation-store.js';
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
      const { units, statuses } = await salesFigures(db, dropId, Date.now());
      const revenue = new Map<string, number>();
      const variants = drop.products.flatMap((p) =>
        p.variants.map((v) => {
          const u = units.find((x) => x.productId === p.id && x.variantId === v.id);
          const sold = u?.sold ?? 0;
          // Revenue counts in each product's default (first) price.
          const price = p.prices[0];
          revenue.set(price.currency, (revenue.get(price.currency) ?? 0) + price.amount * sold);
          return { productId: p.id, variantId: v.id, available: v.available, held: u?.held ?? 0, sold };
        }),
      );
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
