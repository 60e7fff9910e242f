import { expect, fixture, html } from '@open-wc/testing';
import { $config, configure, resolveBackend } from '../../src/core/config.js';
import type { DropProductCard } from '../../src/elements/drop-product-card/drop-product-card.js';
import { untilState, textOf } from '../helpers/card.js';
import { createDrop } from '../helpers/host-api.js';

describe('configuration', () => {
  afterEach(() => $config.set({}));

  it('prefers the element attribute, then the page default, and names what to set when both are missing', () => {
    configure({ backend: 'https://page.example/api/' });
    expect(resolveBackend('https://own.example', 'x-el')).to.deep.equal({ backend: 'https://own.example' });
    expect(resolveBackend(null, 'x-el')).to.deep.equal({ backend: 'https://page.example/api' });
    $config.set({});
    expect(resolveBackend(null, 'x-el').error).to.contain('backend="https://…"');
    expect(resolveBackend('javascript:alert(1)', 'x-el').error).to.contain('http or https');
  });

  it('reads data-backend from the script tag, and site strings override the built-in ones', async () => {
    const t = await createDrop();
    const tag = document.createElement('script');
    tag.type = 'text/plain';
    tag.dataset.backend = t.backend.url;
    document.head.append(tag);
    try {
      await import('../../src/live-drop.js');
      expect($config.get().backend).to.equal(t.backend.url);
      configure({ strings: { en: { reserve: 'Hold it' } } });
      const el = await fixture<DropProductCard>(html`<drop-product-card drop=${t.id} product="tee" lang="en"></drop-product-card>`);
      await untilState(el, 'available');
      expect(textOf(el)).to.contain('Hold it');
      expect(textOf(el)).not.to.contain('Reserve');
    } finally {
      tag.remove();
    }
  });
});
