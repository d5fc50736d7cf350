import { baseRegistry, type Registry } from './router.js';

/** Every feature's commands and card actions. */
export function fullRegistry(): Registry {
  const r = baseRegistry();
  return r;
}
