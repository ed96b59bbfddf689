export * from './methods';
export * from './views';
export { type Result } from '../core/result';
export * from './securityViews';
export * from './searchMethods';
export * from './appMethods';
export * from './syncMethods';
export * from './careMethods';
