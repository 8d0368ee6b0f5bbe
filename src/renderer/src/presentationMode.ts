import { useCallback, useEffect, useState } from 'react';

/** The keyboard shortcut that turns presentation mode on and off (Escape also leaves it). */
export const PRESENTATION_SHORTCUT = 'Ctrl+Shift+P';

/** How much larger everything is drawn while presenting (CSS zoom of the page area). */
export const PRESENTATION_ZOOM = 1.3;

function isShortcut(event: KeyboardEvent): boolean {
  return event.ctrlKey && event.shiftKey && !event.altKey && event.key.toLowerCase() === 'p';
}

/**
 * Presentation mode for a lab meeting: the window goes full screen (where the browser allows it),
 * the navigation is hidden and the type is larger. Leaving full screen (Escape) leaves the mode.
 */
export function usePresentationMode(): [boolean, () => void] {
  const [presenting, setPresenting] = useState(false);

  const set = useCallback((on: boolean) => {
    setPresenting(on);
    if (on && !document.fullscreenElement) document.documentElement.requestFullscreen?.().catch(() => undefined);
    if (!on && document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
  }, []);
  const toggle = useCallback(() => set(!presenting), [presenting, set]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (isShortcut(event)) {
        event.preventDefault();
        toggle();
      } else if (event.key === 'Escape' && presenting) set(false);
    };
    const onFullscreen = (): void => {
      if (!document.fullscreenElement) setPresenting(false);
    };
    window.addEventListener('keydown', onKey);
    document.addEventListener('fullscreenchange', onFullscreen);
    return () => {
      window.removeEventListener('keydown', onKey);
      document.removeEventListener('fullscreenchange', onFullscreen);
    };
  }, [presenting, set, toggle]);

  return [presenting, toggle];
}
