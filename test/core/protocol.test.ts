import { expect } from '@open-wc/testing';
import { parseServerTime, ProtocolError } from '../../src/protocol/parse.js';
import { joinUrl, pattern, routes } from '../../src/protocol/routes.js';
import { testBackend } from '../helpers/backend.js';

describe('protocol', () => {
  it('reads the server time from the reference server', async () => {
    const { url } = await testBackend();
    const res = await fetch(joinUrl(url, routes.time()));
    const { now } = parseServerTime(await res.json());
    expect(Math.abs(now - Date.now())).to.be.lessThan(5_000);
  });

  it('gives the server its route patterns from the same functions the client calls', () => {
    expect(pattern(routes.time)).to.equal('/v1/time');
    expect(pattern(routes.confirm, 'id')).to.equal('/v1/reservations/:id/confirm');
    expect(pattern(routes.host.stock, 'dropId', 'productId', 'variantId')).to.equal(
      '/v1/host/drops/:dropId/products/:productId/variants/:variantId/stock',
    );
    // Ids are still encoded when the client builds a path.
    expect(routes.drop('a:b/c')).to.equal('/v1/drops/a%3Ab%2Fc');
  });

  it('names the path of malformed data', () => {
    expect(() => parseServerTime({ now: 'soon' })).to.throw(ProtocolError, 'time.now');
  });
});
