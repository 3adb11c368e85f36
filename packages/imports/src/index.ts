export { runImport, type ImportOptions, type ImportProgress, type ImportSummary, type Problem } from './pipeline';
export { skipReasons, type Place, type SkipReason } from './source';
export { copyUpTo, UploadCutOff, UploadTooLarge } from './upload';
