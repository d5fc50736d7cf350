/** What the permission rules need to know about a person (src/domain/permissions.ts, src/domain/remit.ts). */
export interface Actor {
  id: number;
  roles: readonly string[];
  active?: boolean;
}

/** A person as a delegating owner: who stands in for them, and until when (inclusive). */
export interface Principal {
  id: number;
  delegateId: number | null;
  awayUntil: string | null;
}
