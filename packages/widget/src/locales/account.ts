/**
 * The account panel's sentences (widget/account-panel.ts), in its own on-demand chunk with the
 * panel: readers who never open "My account" never download them. The two links that open it are
 * in the main catalogs (acctOpen, acctForgot).
 */
export const accountMessages = {
  en: {
    acctReplies: 'Mail me replies to my comments',
    acctFollows: 'Mail me new comments in discussions I follow',
    acctMine: 'My comments on this site',
    acctMineNone: 'You have not commented on this site yet.',
    acctDownload: 'Download my data',
    acctDelete: 'Delete my account',
    acctKeep: 'keep my comments',
    acctRemove: 'remove my comments',
    acctForgotSend: 'Send a reset link',
    acctForgotSent: 'If it has an account, a link is on its way.',
    acctNameSave: 'Save name',
    acctNameSaved: 'Your name is changed, on your earlier comments too.',
    acctCurrent: 'Current password',
    acctNew: 'New password',
    acctPasswordSave: 'Change password',
    acctPasswordSaved: 'Your password is changed; your other sessions are logged out.',
    acctReplyBadge: { one: 'new reply to you', many: 'new replies to you' },
    acctResend: 'Send the link again',
    acctLinkSent: 'A new link is on its way. Open it, then post again.',
  },
  ru: {
    acctReplies: 'Присылать ответы на мои комментарии',
    acctFollows: 'Присылать новые комментарии в обсуждениях, за которыми я слежу',
    acctMine: 'Мои комментарии на этом сайте',
    acctMineNone: 'Вы ещё не комментировали на этом сайте.',
    acctDownload: 'Скачать мои данные',
    acctDelete: 'Удалить мой аккаунт',
    acctKeep: 'оставить комментарии',
    acctRemove: 'удалить комментарии',
    acctForgotSend: 'Прислать ссылку',
    acctForgotSent: 'Если аккаунт есть, ссылка в пути.',
    acctNameSave: 'Сохранить имя',
    acctNameSaved: 'Имя изменено, и в прежних комментариях тоже.',
    acctCurrent: 'Текущий пароль',
    acctNew: 'Новый пароль',
    acctPasswordSave: 'Сменить пароль',
    acctPasswordSaved: 'Пароль изменён; другие ваши сеансы завершены.',
    acctReplyBadge: { one: 'новый ответ вам', few: 'новых ответа вам', many: 'новых ответов вам' },
    acctResend: 'Прислать ссылку ещё раз',
    acctLinkSent: 'Новая ссылка в пути. Откройте её и отправьте снова.',
  },
};
