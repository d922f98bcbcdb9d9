import { HealthIndicator } from './health-indicator.js';
import { IpSearch } from './ip-search.js';
import { NodesPanel } from './nodes-panel.js';
import { PodDetail } from './pod-detail.js';
import { PodsTable } from './pods-table.js';

export function App() {
  return (
    <main>
      <header>
        <h1>kubeinformers dashboard</h1>
        <HealthIndicator />
      </header>
      <div className="columns">
        <PodsTable />
        <aside>
          <PodDetail />
          <IpSearch />
          <NodesPanel />
        </aside>
      </div>
    </main>
  );
}
