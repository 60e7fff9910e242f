/**
 * The application of the React hydration test (react-hydration.test.ts): the
 * same component rendered by react-dom/server in Node and hydrated by
 * client.tsx in Chromium, as a server-rendering framework does.
 */
import { useState } from 'react';
import { DropCountdown, DropProductCard } from '../../../src/react.js';

export interface AppProps {
  backend: string;
  drop: string;
  product: string;
}

export function App({ backend, drop, product }: AppProps) {
  const [held, setHeld] = useState<string[]>([]);
  return (
    <main>
      <DropCountdown backend={backend} drop={drop} />
      <DropProductCard
        backend={backend}
        drop={drop}
        product={product}
        onDropCheckout={(event) => {
          event.preventDefault(); // our own cart instead of the drop's checkout URL
          setHeld((ids) => [...ids, event.detail.reservation.id]);
        }}
      />
      <p id="held">{held.length} item(s) held</p>
    </main>
  );
}
