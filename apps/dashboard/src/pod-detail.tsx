import { useInformerObject } from '@kubeinformers/react';
import { useMemo } from 'react';
import { stringify } from 'yaml';
import { pods } from './informers.js';
import { useViewState } from './view-state.js';

/** The chosen pod as YAML, straight from the cache (no request), live as it changes. */
export function PodDetail() {
  const [view, setView] = useViewState();
  const pod = useInformerObject(pods, view.pod ?? '');
  const text = useMemo(() => (pod === undefined ? '' : stringify(pod)), [pod]);
  if (view.pod === undefined) return null;
  return (
    <section className="detail" data-testid="pod-detail">
      <h2>
        {view.pod}{' '}
        <button type="button" data-testid="close-detail" onClick={() => setView({ pod: undefined })}>
          close
        </button>
      </h2>
      {pod === undefined ? <p>not in the cache (deleted, or not synced yet)</p> : <pre>{text}</pre>}
    </section>
  );
}
