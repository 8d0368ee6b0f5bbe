export * from './appInfo';
export * from './project';
export * from './jobs';
