import { createApp, defineComponent, h, ref } from 'vue';
import { configure, type Reservation } from 'live-drop';

configure({ backend: 'http://localhost:8787' });

const Drop = defineComponent(() => {
  const held = ref<Reservation[]>([]);
  return () => [
    h('drop-countdown', { drop: 'demo' }),
    h('live-drop-player', { drop: 'demo' }),
    h('drop-product-card', {
      drop: 'demo',
      product: 'hoodie-night',
      // Vue listens to `drop-checkout` for `onDropCheckout`.
      onDropCheckout: (event: HTMLElementEventMap['drop-checkout']) => {
        event.preventDefault(); // our own cart instead of the drop's checkout URL
        held.value.push(event.detail.reservation);
      },
    }),
    h('p', `${held.value.length} item(s) held`),
  ];
});

createApp(Drop).mount('#app');
