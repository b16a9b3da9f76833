/**
 * Counts database round trips per call. Every SDK database request reaches
 * the transport once (in the cloud, one CloudBase call: a network hop and a
 * unit of the environment's quota), so the transport notes each one against
 * the call it belongs to. AsyncLocalStorage keeps concurrent calls apart.
 */
import { AsyncLocalStorage } from 'async_hooks';

interface Counter {
  count: number;
}

const current = new AsyncLocalStorage<Counter>();

/** Called by the transport for each request it answers. */
export function noteRoundTrip(): void {
  const counter = current.getStore();
  if (counter) counter.count++;
}

/** Runs `work` with a fresh counter; `read` gives the count so far, at any moment (the call log reads it at the end). */
export function withRoundTrips<T>(work: (read: () => number) => Promise<T>): Promise<T> {
  const counter: Counter = { count: 0 };
  return current.run(counter, () => work(() => counter.count));
}
