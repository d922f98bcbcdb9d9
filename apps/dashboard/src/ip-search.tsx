import { useIndexLookup } from '@kubeinformers/react';
import { useState } from 'react';
import { pods } from './informers.js';

/** Every pod holding an IP, through the `byIP` index: host-network pods share their node's IP. */
export function IpSearch() {
  const [ip, setIp] = useState('');
  const found = useIndexLookup(pods, 'byIP', ip.trim());
  return (
    <section>
      <h2>Search by pod IP</h2>
      <input
        data-testid="ip-search"
        placeholder="10.0.0.11"
        value={ip}
        onChange={(event) => setIp(event.target.value)}
      />
      <ul data-testid="ip-results">
        {found.map((pod) => (
          <li
            key={pod.metadata?.uid ?? pod.metadata?.name}
            data-pod={`${pod.metadata?.namespace}/${pod.metadata?.name}`}
          >
            {pod.metadata?.namespace}/{pod.metadata?.name} on {pod.spec?.nodeName}
            {pod.spec?.hostNetwork === true ? ' (host network)' : ''}
          </li>
        ))}
      </ul>
      {ip.trim() !== '' && found.length === 0 ? <p>no pod has this IP</p> : null}
    </section>
  );
}
