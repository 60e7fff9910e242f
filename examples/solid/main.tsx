import { render } from 'solid-js/web';
import { configure } from 'live-drop';
import type {} from 'live-drop/jsx-solid';

configure({ backend: 'http://localhost:8787' });

render(
  () => (
    <drop-product-card
      drop="demo"
      product="hoodie-night"
      on:drop-reserved={(event) => console.log('held until', event.detail.reservation.expiresAt)}
    />
  ),
  document.getElementById('app')!,
);
