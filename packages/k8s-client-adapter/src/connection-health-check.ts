import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { buildConnector } from 'undici';

/**
 * How HTTP/2 connections are checked for life, client-go's way: a PING goes out every `readIdleTimeoutMs`
 * and a connection that then stays silent for `pingTimeoutMs` more (no PING answer, no frame at all) is
 * closed as dead, failing every request on it at once (a watch then reopens on a new connection).
 */
export interface ConnectionHealthCheck {
  /** Default 30 s (client-go's `ReadIdleTimeout`). */
  readonly readIdleTimeoutMs?: number;
  /** Default 15 s (client-go's `PingTimeout`). */
  readonly pingTimeoutMs?: number;
}

export const defaultConnectionHealthCheck = Object.freeze({
  readIdleTimeoutMs: 30_000,
  pingTimeoutMs: 15_000,
} satisfies Required<ConnectionHealthCheck>);

/**
 * undici sends HTTP/2 PINGs at its `pingInterval` but never acts on a missing answer (it only reports
 * answers, as `ping` events of each `Client`; `Agent` hides its clients). So the check is made where the
 * answer lands: the socket. A live HTTP/2 peer answers every PING, so the socket's `bytesRead` grows at
 * least once per ping interval; one whose count stands still for the interval plus the PING timeout has
 * not answered. The count is sampled every sixth of the PING timeout, which bounds detection by
 * `readIdleTimeoutMs + pingTimeoutMs` after the last byte, and never closes a connection that answers.
 * HTTP/1.1 has no PING: its watches rely on core's bookmark cadence and stall bounds.
 */
export function healthCheckedConnector(
  tls: buildConnector.BuildOptions,
  check: ConnectionHealthCheck = {},
): buildConnector.connector {
  const readIdleTimeoutMs = check.readIdleTimeoutMs ?? defaultConnectionHealthCheck.readIdleTimeoutMs;
  const pingTimeoutMs = check.pingTimeoutMs ?? defaultConnectionHealthCheck.pingTimeoutMs;
  const connect = buildConnector({ ...tls, allowH2: true });
  return (options, callback) =>
    connect(options, (...result) => {
      // On failure the callback gets the error alone: no socket, not even `null`.
      const socket = result[1] ?? undefined;
      if (socket !== undefined && (socket as TLSSocket).alpnProtocol === 'h2') {
        watchForSilence(socket, readIdleTimeoutMs, pingTimeoutMs);
      }
      callback(...result);
    });
}

/** The `pingInterval` undici needs for `healthCheckedConnector` to hold its bound. */
export function pingIntervalMs(check: ConnectionHealthCheck = {}): number {
  return check.readIdleTimeoutMs ?? defaultConnectionHealthCheck.readIdleTimeoutMs;
}

function watchForSilence(socket: Socket | TLSSocket, readIdleTimeoutMs: number, pingTimeoutMs: number): void {
  const sampleMs = Math.max(1, Math.floor(pingTimeoutMs / 6));
  // A change is seen up to one sample late, and the silence is judged one sample late again.
  const silenceLimitMs = readIdleTimeoutMs + pingTimeoutMs - 2 * sampleMs;
  let bytesRead = socket.bytesRead;
  let changedAt = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    if (socket.bytesRead !== bytesRead) {
      bytesRead = socket.bytesRead;
      changedAt = now;
      return;
    }
    if (now - changedAt < silenceLimitMs) return;
    clearInterval(timer);
    const silentSeconds = ((now - changedAt) / 1000).toFixed(1);
    socket.destroy(
      new Error(`HTTP/2 connection silent for ${silentSeconds} s, PING unanswered: closed as dead`),
    );
  }, sampleMs);
  timer.unref();
  socket.once('close', () => clearInterval(timer));
}
