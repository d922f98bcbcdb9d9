import { useConnectionHealth } from '@kubeinformers/react';

const labels = { idle: 'idle', syncing: 'syncing', healthy: 'healthy', recovering: 'recovering' } as const;

/**
 * The connection's state at a glance: recovering while any informer retries, with the last error; the
 * error goes once every informer is healthy again (it is history then, not news).
 */
export function HealthIndicator() {
  const health = useConnectionHealth();
  return (
    <div className={`health health-${health.phase}`} data-testid="health" data-phase={health.phase}>
      <span className="dot" /> {labels[health.phase]}
      {health.lastError === undefined || health.phase === 'healthy' ? null : (
        <span className="last-error" title={health.lastError.error.message}>
          last error: {health.lastError.error.code}
        </span>
      )}
    </div>
  );
}
