import { useCallback, useEffect, useRef, useState } from 'react';

export interface ApiQuery<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  reload: () => void;
}

/** Runs an API call when the component mounts (and on reload), keeping its result and error. */
export function useApiQuery<T>(call: () => Promise<T>): ApiQuery<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<Error>();
  const [loading, setLoading] = useState(true);
  const [generation, setGeneration] = useState(0);
  const callRef = useRef(call);
  callRef.current = call;

  useEffect(() => {
    let live = true;
    setLoading(true);
    callRef
      .current()
      .then((value) => {
        if (!live) return;
        setData(value);
        setError(undefined);
      })
      .catch((cause: unknown) => {
        if (live) setError(cause instanceof Error ? cause : new Error(String(cause)));
      })
      .finally(() => {
        if (live) setLoading(false);
      });
    return () => {
      live = false;
    };
  }, [generation]);

  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  return { data, error, loading, reload };
}
