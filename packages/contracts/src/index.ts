export * from './errors';
export * from './auth';
export * from './comments';
export * from './health';
export * from './live';
export * from './policy';
export * from './moderation';
export * from './sites';
