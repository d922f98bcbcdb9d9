export { bearerProtocolPrefix, bearerTokenProtocol } from './bearer-protocol.js';
export type { BrowserTransportOptions, WatchChannel } from './browser-transport.js';
export { browserTransport } from './browser-transport.js';
export type { WebSocketConstructor } from './web-socket-watch.js';
