import { bindGroup, unbindGroup } from '../../admin/bindings.js';
import type { CommandHandler } from './types.js';

/** `/bind …` and `/unbind`: the mechanism office's binding of a group to a scope (src/admin/bindings.ts). */
export const bind: CommandHandler<'bind'> = (deps, { msg, person, cmd }) =>
  bindGroup(deps, msg, person, { kind: cmd.kind, target: cmd.target });

export const unbind: CommandHandler<'unbind'> = (deps, { msg, person }) => unbindGroup(deps, msg, person);
