export * from './locale';
export * from './templates';
export * from './outbox';
export * from './sender';
export * from './transport';
export { renderCaughtMailPage } from './dev-mail-page';
export { escapeHtml } from './html';
