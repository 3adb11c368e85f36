/**
 * The account panel's sentences (widget/account-panel.ts), in its own on-demand chunk with the
 * panel: readers who never open "My account" never download them. The two links that open it are
 * in the main catalogs (acctOpen, acctForgot).
 */
export const accountMessages = {
  en: {
    acctReplies: 'Mail me replies to my comments',
    acctDownload: 'Download my data',
    acctDelete: 'Delete my account',
    acctKeep: 'keep my comments',
    acctRemove: 'remove my comments',
    acctForgotSend: 'Send a reset link',
    acctForgotSent: 'If it has an account, a link is on its way.',
    acctResend: 'Send the link again',
    acctLinkSent: 'A new link is on its way. Open it, then post again.',
  },
  ru: {
    acctReplies: 'Присылать ответы на мои комментарии',
    acctDownload: 'Скачать мои данные',
    acctDelete: 'Удалить мой аккаунт',
    acctKeep: 'оставить комментарии',
    acctRemove: 'удалить комментарии',
    acctForgotSend: 'Прислать ссылку',
    acctForgotSent: 'Если аккаунт есть, ссылка в пути.',
    acctResend: 'Прислать ссылку ещё раз',
    acctLinkSent: 'Новая ссылка в пути. Откройте её и отправьте снова.',
  },
};
