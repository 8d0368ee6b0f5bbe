import type { Plugin } from 'vite';

/** Assembles imported .wat files into their modules' bytes (see watPlugin.mjs). */
export function watPlugin(): Plugin;
