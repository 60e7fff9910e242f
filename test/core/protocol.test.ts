import { expect } from '@open-wc/testing';
import { parseServerTime, ProtocolError } from '../../src/protocol/parse.js';
import { joinUrl, routes } from '../../src/protocol/routes.js';
import { testBackend } from '../helpers/backend.js';

describe('protocol', () => {
  it('reads the server time from the reference server', async () => {
    const { url } = await testBackend();
    const res = await fetch(joinUrl(url, routes.time()));
    const { now } = parseServerTime(await res.json());
    expect(Math.abs(now - Date.now())).to.be.lessThan(5_000);
  });

  it('names the path of malformed data', () => {
    expect(() => parseServerTime({ now: 'soon' })).to.throw(ProtocolError, 'time.now');
  });
});
