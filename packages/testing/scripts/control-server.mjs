// Starts the built CLI with its control path enabled, for the measurement scripts beside this file, and
// posts JSON to that control path. The server runs in its own process so that its CPU and memory stay out
// of what the scripts measure.
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cli = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli.js');

/** Resolves once the CLI printed its first line: `{ server: ChildProcess, url: string }`. */
export async function startControlServer() {
  const server = spawn(process.execPath, [cli, '--control'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const { url } = await new Promise((resolve, reject) => {
    server.stdout.once('data', (chunk) => resolve(JSON.parse(chunk.toString().split('\n')[0])));
    server.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return { server, url };
}

/** POSTs `body` as JSON to `url` + `path` and resolves with the parsed answer. */
export function postJson(url, path, body) {
  return new Promise((resolve, reject) => {
    const call = request(
      `${url}${path}`,
      { method: 'POST', headers: { 'content-type': 'application/json' } },
      (response) => {
        let text = '';
        response.on('data', (chunk) => {
          text += chunk;
        });
        response.on('end', () => resolve(JSON.parse(text)));
      },
    );
    call.on('error', reject);
    call.end(JSON.stringify(body));
  });
}
