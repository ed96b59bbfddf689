export * from './methods';
export * from './views';
export { type Result } from '../core/result';
export * from './securityViews';
export * from './searchMethods';
