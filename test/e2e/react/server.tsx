/** The server's half of the React hydration test: renders the App with react-dom/server, as a server-rendering framework does. */
import { version } from 'react';
import { renderToString } from 'react-dom/server';
import { App, type AppProps } from './app.js';

export { version };

export const render = (props: AppProps): string => renderToString(<App {...props} />);
