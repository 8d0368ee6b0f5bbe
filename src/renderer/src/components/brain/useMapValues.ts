import { useEffect, useState } from 'react';
import type { BrainRunMaps } from '../../../../shared/api';
import { api } from '../../api/client';

/** A group map, or one subject's. */
export type Source = { kind: 'group' } | { kind: 'subject'; subjectId: number };

/** One map's values: a stored group map, or a subject's map fetched on demand. */
export function useMapValues(
  runId: number,
  maps: BrainRunMaps,
  source: Source,
  token: string,
): { values: number[] | null; error: string | null } {
  const [subject, setSubject] = useState<{ key: string; values: number[] | null; error: string | null }>({
    key: '',
    values: null,
    error: null,
  });
  const key = source.kind === 'subject' ? `${source.subjectId}/${token}` : '';
  useEffect(() => {
    if (source.kind !== 'subject') return;
    let live = true;
    api.brain.subjectMap
      .query({ runId, subjectId: source.subjectId, token })
      .then((map) => live && setSubject({ key, values: map.values, error: null }))
      .catch((error: unknown) => live && setSubject({ key, values: null, error: error instanceof Error ? error.message : String(error) }));
    return () => {
      live = false;
    };
  }, [runId, key, source, token]);
  if (source.kind === 'group') return { values: maps.groupMaps[token] ?? null, error: null };
  return subject.key === key ? { values: subject.values, error: subject.error } : { values: null, error: null };
}
