import { Alert, AlertTitle, Button, Snackbar } from '@mui/material';
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

interface ErrorSurfaceValue {
  /** Shows an API failure to the user, with what they were doing. */
  report: (action: string, error: unknown) => void;
}

const ErrorSurfaceContext = createContext<ErrorSurfaceValue>({ report: () => undefined });

export function useErrorSurface(): ErrorSurfaceValue {
  return useContext(ErrorSurfaceContext);
}

/** The one place API failures surface when no page shows them inline. */
export function ErrorSurfaceProvider({ children }: { children: ReactNode }) {
  const [failure, setFailure] = useState<{ action: string; message: string } | null>(null);
  const report = useCallback((action: string, error: unknown) => {
    setFailure({ action, message: error instanceof Error ? error.message : String(error) });
  }, []);
  const value = useMemo(() => ({ report }), [report]);
  return (
    <ErrorSurfaceContext.Provider value={value}>
      {children}
      <Snackbar open={failure !== null} anchorOrigin={{ vertical: 'bottom', horizontal: 'center' }}>
        <Alert
          severity="error"
          variant="filled"
          data-testid="api-error"
          action={
            <Button color="inherit" size="small" onClick={() => setFailure(null)}>
              Dismiss
            </Button>
          }
        >
          <AlertTitle>{failure?.action} failed</AlertTitle>
          {failure?.message}
        </Alert>
      </Snackbar>
    </ErrorSurfaceContext.Provider>
  );
}

/** Inline error for a page's own query, with a retry. */
export function QueryError({ what, error, onRetry }: { what: string; error: Error; onRetry: () => void }) {
  return (
    <Alert
      severity="error"
      data-testid="query-error"
      action={
        <Button color="inherit" size="small" onClick={onRetry}>
          Retry
        </Button>
      }
    >
      <AlertTitle>Could not load {what}</AlertTitle>
      {error.message}
    </Alert>
  );
}
