import type { Migration } from 'kysely';
import { sites } from './migrations/2026_11_28_0001_sites';
import { articles } from './migrations/2026_11_28_0002_articles';
import { comments } from './migrations/2026_11_28_0003_comments';
import { articleEvents } from './migrations/2026_11_28_0004_article_events';
import { reactions } from './migrations/2026_11_28_0005_reactions';
import { reports } from './migrations/2026_11_28_0006_reports';
import { moderationColumns } from './migrations/2026_11_28_0007_moderation_columns';
import { bans } from './migrations/2026_11_28_0008_bans';
import { moderationActions } from './migrations/2026_11_28_0009_moderation_actions';
import { wordLists } from './migrations/2026_11_28_0010_word_lists';
import { articleUrls } from './migrations/2026_12_01_0011_article_urls';
import { authorBadge } from './migrations/2026_12_01_0012_author_badge';
import { imports } from './migrations/2026_12_02_0013_imports';
import { wordListVersions } from './migrations/2026_12_02_0015_word_list_versions';
import { removedView } from './migrations/2026_12_02_0016_removed_view';
import { articleEventNotify } from './migrations/2026_12_02_0019_article_event_notify';
import { removalReason } from './migrations/2026_12_07_0101_removal_reason';
import { importedAuthorMatching } from './migrations/2026_12_07_0202_imported_author_matching';
import { notificationFollower } from './migrations/2026_12_07_0301_notification_follower';
import { queueMailWindow } from './migrations/2026_12_07_0302_queue_mail_window';
import { importJobs } from './migrations/2026_12_07_0501_import_jobs';

/** The PostgreSQL schema this service owns; no other service reads or writes it. */
export const schema = 'comments';

/** Applied in name order; a name never changes once shipped. */
export const migrations: Record<string, Migration> = {
  '2026_11_28_0001_sites': sites,
  '2026_11_28_0002_articles': articles,
  '2026_11_28_0003_comments': comments,
  '2026_11_28_0004_article_events': articleEvents,
  '2026_11_28_0005_reactions': reactions,
  '2026_11_28_0006_reports': reports,
  '2026_11_28_0007_moderation_columns': moderationColumns,
  '2026_11_28_0008_bans': bans,
  '2026_11_28_0009_moderation_actions': moderationActions,
  '2026_11_28_0010_word_lists': wordLists,
  '2026_12_01_0011_article_urls': articleUrls,
  '2026_12_01_0012_author_badge': authorBadge,
  '2026_12_02_0013_imports': imports,
  '2026_12_02_0015_word_list_versions': wordListVersions,
  '2026_12_02_0016_removed_view': removedView,
  '2026_12_02_0019_article_event_notify': articleEventNotify,
  '2026_12_07_0101_removal_reason': removalReason,
  '2026_12_07_0202_imported_author_matching': importedAuthorMatching,
  '2026_12_07_0301_notification_follower': notificationFollower,
  '2026_12_07_0302_queue_mail_window': queueMailWindow,
  '2026_12_07_0501_import_jobs': importJobs,
};
