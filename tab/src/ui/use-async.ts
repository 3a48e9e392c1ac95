import { useCallback, useEffect, useState } from 'react';

export type AsyncState<T> =
  { status: 'loading' } | { status: 'done'; value: T } | { status: 'failed'; error: unknown };

/**
 * Runs `load` whenever `deps` change; the latest answer wins. `reload` runs it again.
 * `keepPrevious` shows the last answer while the next loads (lists that refresh in place).
 */
export function useAsync<T>(
  load: () => Promise<T>,
  deps: readonly unknown[],
  options: { keepPrevious?: boolean } = {},
): AsyncState<T> & { reload: () => void } {
  const keepPrevious = options.keepPrevious === true;
  const [state, setState] = useState<AsyncState<T>>({ status: 'loading' });
  const [round, setRound] = useState(0);
  // the caller's deps decide when to reload, as with useEffect
  const run = useCallback(load, deps);
  useEffect(() => {
    let current = true;
    setState((previous) =>
      keepPrevious && previous.status === 'done' ? previous : { status: 'loading' },
    );
    run().then(
      (value) => current && setState({ status: 'done', value }),
      (error: unknown) => current && setState({ status: 'failed', error }),
    );
    return () => {
      current = false;
    };
  }, [run, round, keepPrevious]);
  return { ...state, reload: () => setRound((n) => n + 1) };
}
