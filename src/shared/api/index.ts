export * from './appInfo';
export * from './project';
export * from './jobs';
export * from './cohortImport';
export * from './cohorts';
export * from './files';
export * from './runs';
export * from './brain';
