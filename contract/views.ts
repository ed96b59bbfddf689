// The view models' source of truth is core/ (DESIGN §1); the contract re-exports them.
export * from '../core/views';
export * from '../core/triageViews';
