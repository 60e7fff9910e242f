import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { configure, type Reservation } from 'live-drop';
import type {} from 'live-drop/jsx-react';

configure({ backend: 'http://localhost:8787' });

function Drop() {
  const [held, setHeld] = useState<Reservation[]>([]);
  return (
    <>
      <drop-countdown drop="demo" />
      <live-drop-player drop="demo" />
      <drop-product-card
        drop="demo"
        product="hoodie-night"
        ondrop-checkout={(event) => {
          event.preventDefault(); // our own cart instead of the drop's checkout URL
          setHeld((items) => [...items, event.detail.reservation]);
        }}
      />
      <p>{held.length} item(s) held</p>
    </>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Drop />
  </StrictMode>,
);
