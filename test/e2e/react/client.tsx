/** The browser's half of the React hydration test: hydrates the server-rendered App with the props the server used. */
import { version } from 'react';
import { hydrateRoot } from 'react-dom/client';
import { App, type AppProps } from './app.js';

const props = JSON.parse(document.getElementById('props')!.textContent!) as AppProps;
hydrateRoot(document.getElementById('root')!, <App {...props} />, {
  onRecoverableError: (error) => console.error('hydration:', error),
});
document.documentElement.dataset.react = version;
