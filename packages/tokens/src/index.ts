export * from './keys';
export * from './verifier';
export * from './middleware';
export * from './revocations';
