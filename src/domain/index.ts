// Pure domain rules: amounts, stages, the reporting calendar, substantive progress, annual targets.
export * from './amount.js';
export * from './stages.js';
export * from './calendar.js';
export * from './progress.js';
export * from './targets.js';
