import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { configure, type Reservation } from 'live-drop';
import { DropCountdown, DropProductCard, LiveDropPlayer } from 'live-drop/react';

configure({ backend: 'http://localhost:8787' });

function Drop() {
  const [held, setHeld] = useState<Reservation[]>([]);
  return (
    <>
      <DropCountdown drop="demo" />
      <LiveDropPlayer drop="demo" onDropPlayerState={(event) => console.log('player', event.detail.state)} />
      <DropProductCard
        drop="demo"
        product="hoodie-night"
        onDropCheckout={(event) => {
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
