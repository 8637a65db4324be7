// The public surface of console: other features import only from here (npm run lint checks).
export type { ConsoleContext } from './console-auth.service';
export { ConsoleExceptionFilter } from './console-errors';
export { ConsoleGate } from './console-gate';
export { field, formBody, html, redirect } from './console-http';
export { attempt } from './console-forms';
export { ConsoleModule } from './console.module';
export { KdeFacts } from './views/kde-facts';
export type { KdeFactsData } from './views/kde-facts';
export { Flash, FormState, Input, PostForm, STATUS_TEXT, Select, Shell, StatusTag, Textarea, consolePage, formState, versionedUrl } from './views/layout';
