import { useEffect, useState } from 'react';

export const PAGES = [
  { id: 'home', title: 'Home' },
  { id: 'cohorts', title: 'Cohorts' },
  { id: 'train', title: 'Train' },
  { id: 'results', title: 'Results' },
  { id: 'brain', title: 'Brain' },
  { id: 'report', title: 'Report' },
] as const;

export type PageId = (typeof PAGES)[number]['id'];

function pageFromHash(hash: string): PageId {
  const id = hash.replace(/^#\/?/, '').split('?')[0];
  return PAGES.find((page) => page.id === id)?.id ?? 'home';
}

/** The current page, kept in the URL hash so it works from file:// and survives reloads. */
export function useCurrentPage(): [PageId, (page: PageId) => void] {
  const [page, setPage] = useState<PageId>(() => pageFromHash(window.location.hash));
  useEffect(() => {
    const onChange = (): void => setPage(pageFromHash(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return [page, (next) => (window.location.hash = `#/${next}`)];
}
