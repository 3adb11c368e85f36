export * from './errors';
export * from './logger';
export * from './config';
export * from './http';
export * from './rate-limit';
export * from './process';
export * from './metrics';
export * from './routes';
