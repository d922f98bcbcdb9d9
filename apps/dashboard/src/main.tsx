import { stripManagedFields } from '@kubeinformers/core';
import { InformerProvider } from '@kubeinformers/react';
import { browserTransport } from '@kubeinformers/web';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.js';
import { readConnectionSettings } from './connection-settings.js';
import './styles.css';

const settings = readConnectionSettings(window.location.search);
const transport = browserTransport({
  baseUrl: settings.apiUrl,
  token: settings.token,
  watch: settings.watch,
});
const root = document.getElementById('root');
if (root === null) throw new Error('the page has no #root element');

createRoot(root).render(
  <StrictMode>
    <InformerProvider
      transport={transport}
      options={{
        notify: settings.notify,
        transform: stripManagedFields,
        // One streamed request for the initial list (where the server can) instead of a page per 500 pods.
        streamingInitialList: true,
        // Every error reaches the console at the verbose level: the health indicator shows the last one
        // per frame, and a reconnection can fail and recover within one.
        onError: (error) => console.debug(`kubeinformers: ${error.code} ${error.message}`),
      }}
    >
      <App />
    </InformerProvider>
  </StrictMode>,
);
