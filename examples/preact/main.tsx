import { render } from 'preact';
import { configure } from 'live-drop';
import type {} from 'live-drop/jsx-preact';

configure({ backend: 'http://localhost:8787' });

render(
  <drop-product-card
    drop="demo"
    product="hoodie-night"
    ondrop-reserved={(event) => console.log('held until', event.detail.reservation.expiresAt)}
  />,
  document.getElementById('app')!,
);
